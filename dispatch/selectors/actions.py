"""What a user may do with an order now, decided once for every door: the order
page shows a form for each allowed action, the API lists them. The services
check everything again when the action comes in; this only decides what to offer."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext as _

from complaints.models import ComplaintStatus
from dispatch.access import reach_of
from dispatch.models import Assignment, AssignmentStatus, Extension, Unit
from dispatch.selectors import OrderView, whistle_targets
from dispatch.selectors.desk import hand_down_targets
from dispatch.selectors.extensions import pending_extension
from portal.errors import ActionRefused, NotAllowed

A = AssignmentStatus

# In the order the page shows them; the API lists them in the same order.
ACTIONS = (
    "accept",
    "contact",
    "resolve",
    "hand_down",
    "recall",
    "return",
    "whistle",
    "more_time",
    "note",
    "whistle_report",
)


@dataclass(frozen=True)
class OrderActions:
    allowed: tuple[str, ...] = ()
    hand_down_targets: tuple[Unit, ...] = ()  # the communities the order may go down to
    whistle_targets: tuple[Unit, ...] = ()  # the departments and utilities the lead may summon
    return_until: datetime | None = None  # set when `return` is allowed
    recall_is_take_back: bool = False  # the street takes it back (else the community hands it up)

    def __contains__(self, name: str) -> bool:
        return name in self.allowed


def order_actions_for(*, user, view: OrderView, extensions: list[Extension], now: datetime) -> OrderActions:
    """The actions open to `user` on the order now. `extensions` is the order's
    `extension_history` (the caller reads it anyway, to show it)."""
    if not view.can_act:
        return OrderActions(allowed=("whistle_report",) if view.can_report else ())
    assignment = view.assignment
    allowed = {"note"}
    allowed |= {
        A.ASSIGNED: {"accept"},
        A.ACCEPTED: {"contact"},
        A.IN_PROGRESS: {"resolve"},
    }.get(assignment.status, set())
    communities = tuple(unit for unit in hand_down_targets(assignment=assignment) if unit.pk != assignment.holder_id)
    if communities:
        allowed.add("hand_down")
    return_until = assignment.assigned_at + settings.WHISTLE_RETURN_WINDOW
    returnable = assignment.status == A.ASSIGNED and not assignment.is_handed_down and now <= return_until
    if returnable:
        allowed.add("return")
    if assignment.is_handed_down:
        allowed.add("recall")
    targets = tuple(whistle_targets(lead=assignment, assignments=view.assignments))
    if targets:
        allowed.add("whistle")
    if pending_extension(extensions) is None:
        allowed.add("more_time")
    return OrderActions(
        allowed=tuple(name for name in ACTIONS if name in allowed),
        hand_down_targets=communities,
        whistle_targets=targets,
        return_until=return_until if returnable else None,
        # Someone in both units is acting for the accountable street.
        recall_is_take_back=assignment.is_handed_down and assignment.unit_id in reach_of(user).handler_unit_ids,
    )


def acting_assignment(view: OrderView) -> Assignment:
    """The assignment a unit's action works on: the lead's, or the user's unit's
    own summons (whose only action the services allow is its report)."""
    if view.assignment is None:
        raise ActionRefused(_("No unit holds this order yet."))
    return view.assignment


def lead_action_allowed(view: OrderView) -> None:
    """Refuse, before any input is read, someone whose role cannot take the lead's
    actions (sign for, contact, note, …) whatever the order's state: those who only
    read the order (supervisors, the 12345 centre) and a unit summoned to help."""
    if view.handles:
        return
    if view.co_handling is not None:
        raise NotAllowed(_("Only the lead unit can do that; a summoned unit reports what it did."))
    raise NotAllowed(_("Only the unit handling this order can do that."))


def whistling_lead(view: OrderView) -> Assignment:
    """The live lead assignment that blows the whistle; a refusal for anyone else."""
    lead_action_allowed(view)
    if not view.can_act:
        raise ActionRefused(_("This order is no longer open."))
    return view.assignment


def reporting_summons(view: OrderView) -> Assignment:
    """The user's unit's summons, which its report answers; a refusal for anyone else."""
    if view.co_handling is None:
        raise NotAllowed(_("Only a summoned unit reports."))
    return view.co_handling


def hand_down_target_find(*, assignment: Assignment, value) -> Unit:
    """A community the order may be handed down to, by its unit code or id."""
    value = str(value if value is not None else "").strip()
    for unit in hand_down_targets(assignment=assignment):
        if value in (unit.code, str(unit.pk)):
            return unit
    raise ActionRefused(_("Choose a community of this street."))


def order_next_step(*, view: OrderView) -> str:
    """What happens next, for a reader who cannot act on the order: after a reply
    the resident has the next move, so "only the unit handling it can act" would mislead."""
    status = view.complaint.status
    if status == ComplaintStatus.RESOLVED:
        return _("Resolved: waiting for the resident's rating. Nothing more to do unless they reopen it.")
    if status == ComplaintStatus.CLOSED:
        if view.complaint.ratings.exists():
            return _("Closed: the resident has rated the result.")
        return _("Closed: nothing more to do.")
    return _("You can read this order; only the unit handling it can act on it.")
