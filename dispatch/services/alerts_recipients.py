"""Who hears of an alert: the units up the tree and their people, read once per
sweep. A sweep of 2,000 orders of one street office asks who that office's
supervisors are once, not 2,000 times.

Every alert reaches someone: a unit with nobody in the role passes the alert to
the next unit up that has somebody, and an alert that finds nobody up to the
root goes to the 12345 centre's dispatchers, who can at least re-dispatch the
order or chase the unit."""

from collections import defaultdict
from collections.abc import Iterable

from dispatch.models import Membership, Role, Unit, UnitKind


class RecipientBook:
    def __init__(self) -> None:
        self._units: dict[int, Unit] = {}
        self._people: dict[tuple[int, str], tuple] = {}
        self._centre: tuple[Unit, list] | None = None

    def unit_up(self, *, unit: Unit, steps: int) -> Unit:
        """The unit `steps` levels above `unit` (the root if the tree is shallower)."""
        self._units.setdefault(unit.pk, unit)
        current = unit
        for _step in range(steps):
            if current.parent_id is None:
                break
            if current.parent_id not in self._units:
                self._load_ancestors(current)
            current = self._units[current.parent_id]
        return current

    def chain(self, *, unit: Unit) -> list[Unit]:
        """`unit` and every unit above it, nearest first."""
        units = [unit]
        while units[-1].parent_id is not None:
            units.append(self.unit_up(unit=units[-1], steps=1))
        return units

    def _load_ancestors(self, unit: Unit) -> None:
        # `path` names every ancestor, so one query loads the whole chain.
        codes = [code for code in unit.path.split("/") if code]
        self._units.update({u.pk: u for u in Unit.objects.filter(code__in=codes)})
        if unit.parent_id not in self._units:  # a path out of step with the tree: the FK is the truth
            self._units[unit.parent_id] = Unit.objects.get(pk=unit.parent_id)

    def people(self, *, unit_ids: Iterable[int], role: str) -> list:
        """Active users with `role` in any of the (active) units, each once."""
        unit_ids = list(dict.fromkeys(unit_ids))
        missing = [pk for pk in unit_ids if (pk, role) not in self._people]
        if missing:
            found = defaultdict(list)
            memberships = Membership.objects.filter(
                unit_id__in=missing, role=role, unit__is_active=True, user__is_active=True
            ).select_related("user")
            for membership in memberships.order_by("user_id"):
                found[membership.unit_id].append(membership.user)
            for pk in missing:
                self._people[(pk, role)] = tuple(found[pk])
        users = {user.pk: user for pk in unit_ids for user in self._people[(pk, role)]}
        return list(users.values())

    def first_reachable(self, *, units: list[Unit], role: str) -> tuple[Unit, list]:
        """The first of `units` with someone in `role`, and those people; failing
        that, the 12345 centre and its dispatchers; failing that (no centre, or
        nobody in it), the first unit and nobody."""
        self.people(unit_ids=[u.pk for u in units], role=role)  # one query for the whole chain
        for unit in units:
            people = self.people(unit_ids=[unit.pk], role=role)
            if people:
                return unit, people
        centre, dispatchers = self.centre()
        if dispatchers:
            return centre, dispatchers
        return units[0], []

    def centre(self) -> tuple[Unit | None, list]:
        """The 12345 centre (the first active one) and its dispatchers."""
        if self._centre is None:
            centre = Unit.objects.filter(kind=UnitKind.CENTRE, is_active=True).order_by("path").first()
            dispatchers = self.people(unit_ids=[centre.pk], role=Role.DISPATCHER) if centre else []
            self._centre = (centre, dispatchers)
        return self._centre
