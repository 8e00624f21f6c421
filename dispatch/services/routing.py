"""Routing: which unit owns a new complaint.

Of the active rules whose category subtree and region subtree contain the
complaint, the most specific wins: a deeper category beats a shallower one, then
a deeper region, then the higher priority, then the older rule. A rule whose
relative target does not exist for this place (no street office for the street)
is skipped in favour of the next. No rule → the 12345 centre's triage queue.
"""

from django.db import transaction

from complaints.models import Complaint, ComplaintStatus, EventKind
from complaints.services import complaint_lock
from complaints.services.lifecycle import complaint_record
from complaints.timeline import CENTRE
from dispatch.models import AssignmentReason, RoutingRule, TriageItem, TriageReason, Unit
from dispatch.services.assignments import complaint_assign
from dispatch.services.routing_snapshot import RoutingCall, routing_snapshot


def route(
    *, complaint: Complaint, exclude_unit_ids: frozenset[int] = frozenset()
) -> tuple[RoutingRule | None, Unit | None]:
    """The best rule with a unit to give, skipping units in `exclude_unit_ids`
    (those that returned the order as not theirs)."""
    return routes_for(complaints=[complaint], exclude={complaint.pk: exclude_unit_ids})[complaint.pk]


def routes_for(
    *, complaints: list[Complaint], exclude: dict[int, frozenset[int]] | None = None
) -> dict[int, tuple[RoutingRule | None, Unit | None]]:
    """Routing for many complaints from the process's snapshot of the rules and their
    units (no query unless a rule or unit changed), so a triage page of suggestions or
    a routing batch costs what one complaint does. `exclude` maps a complaint's pk to
    units to skip. The rules and units returned are this call's own instances."""
    exclude = exclude or {}
    snapshot = routing_snapshot()
    made = RoutingCall(snapshot)
    result = {}
    for complaint in complaints:
        ancestors = set(complaint.category.ancestor_codes())
        place, skipped = complaint.region.code, exclude.get(complaint.pk, ())
        result[complaint.pk] = (None, None)
        for rule in snapshot.rules:
            if rule.category_code is not None and rule.category_code not in ancestors:
                continue
            if rule.region_code is not None and not place.startswith(rule.region_code):
                continue
            unit_id = snapshot.target_of(rule=rule, region=complaint.region)
            if unit_id is not None and unit_id not in skipped:
                result[complaint.pk] = (made.rule(rule), made.unit(unit_id))
                break
    return result


def complaint_route(*, complaint_id: int) -> str:
    """Route a submitted complaint once. Safe to run any number of times: a
    complaint that is no longer `submitted`, or already waits in triage, is left
    alone; the row lock and the one-live-assignment constraint make two
    concurrent runs produce one assignment. Returns what happened."""
    with transaction.atomic():
        complaint = complaint_lock(complaint_id=complaint_id)
        if complaint.status != ComplaintStatus.SUBMITTED:
            return "skipped"
        if TriageItem.objects.filter(complaint=complaint, closed_at__isnull=True).exists():
            return "in_triage"
        if complaint.emergency_words:
            # A fire or a threat to life is not left to a rule: the centre dispatches it at once.
            _to_triage(complaint=complaint, reason=TriageReason.EMERGENCY, fact="triage_emergency")
            return "triage"
        if complaint.place_to_confirm:
            # Known only to its district: a street office chosen now would be a guess.
            _to_triage(complaint=complaint, reason=TriageReason.PLACE_TO_CONFIRM, fact="triage_place")
            return "triage"
        rule, unit = route(complaint=complaint)
        if unit is None:
            _to_triage(complaint=complaint, reason=TriageReason.NO_RULE, fact="triage_no_rule")
            return "triage"
        complaint_assign(
            complaint=complaint,
            unit=unit,
            reason=AssignmentReason.ROUTED,
            rule=rule,
            data={"rule_id": rule.pk, "rule": rule.name},
        )
        return "assigned"


def _to_triage(*, complaint: Complaint, reason: str, fact: str) -> None:
    TriageItem.objects.create(complaint=complaint, reason=reason)
    complaint_record(complaint=complaint, kind=EventKind.TRIAGED, fact=fact, by=CENTRE, data={"reason": reason})
