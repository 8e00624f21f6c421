"""Who may see and do what. Every view, admin action and service asks here.

- A handler acts on an order whose accountable unit or current holder is one of
  the handler's units, and sees residents' personal data on those orders.
- A central dispatcher (a dispatcher membership, normally in the 12345 centre)
  sees every order with personal data and works the triage queue.
- A supervisor sees, read-only and with personal data masked, every order held
  by a unit inside the supervised unit's subtree.
- A hotline operator (an operator membership of the 12345 centre) files demands
  for callers, reads the knowledge base, and works the callback queue; a caller's
  own history is shown to the operator taking the call. An operator has no order
  pages and no queue.
"""

from dataclasses import dataclass

from django.db.models import Q

from dispatch.models import Assignment, Membership, Role, Unit


@dataclass(frozen=True)
class Reach:
    handler_unit_ids: frozenset[int]
    supervised_paths: tuple[str, ...]
    is_dispatcher: bool
    is_operator: bool = False

    @property
    def is_staff_member(self) -> bool:
        return bool(self.handler_unit_ids or self.supervised_paths or self.is_dispatcher or self.is_operator)

    @property
    def is_centre(self) -> bool:
        """A member of the 12345 centre: the hotline desk, the knowledge base, callbacks."""
        return self.is_dispatcher or self.is_operator


def reach_of(user) -> Reach:
    """The user's memberships, read once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False):
        return Reach(frozenset(), (), False, False)
    cached = getattr(user, "_whistle_reach", None)
    if cached is not None:
        return cached
    rows = Membership.objects.filter(user=user, unit__is_active=True).values_list("role", "unit_id", "unit__path")
    handler_ids, paths, dispatcher, operator = set(), [], False, False
    for role, unit_id, path in rows:
        if role == Role.HANDLER:
            handler_ids.add(unit_id)
        elif role == Role.SUPERVISOR:
            paths.append(path)
        elif role == Role.DISPATCHER:
            dispatcher = True
        elif role == Role.OPERATOR:
            operator = True
    reach = Reach(frozenset(handler_ids), tuple(sorted(paths)), dispatcher, operator)
    user._whistle_reach = reach
    return reach


def can_act_on(*, user, assignment: Assignment) -> bool:
    reach = reach_of(user)
    return assignment.unit_id in reach.handler_unit_ids or assignment.holder_id in reach.handler_unit_ids


def supervises(*, user, unit: Unit) -> bool:
    return any(unit.path.startswith(path) for path in reach_of(user).supervised_paths)


def subtree_q(paths: tuple[str, ...], field: str = "unit__path") -> Q:
    """Q matching rows whose unit lies under any of `paths` (an empty tuple matches nothing)."""
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field}__startswith": path})
    return q


def handler_units(*, user):
    return Unit.objects.filter(pk__in=reach_of(user).handler_unit_ids).order_by("path")
