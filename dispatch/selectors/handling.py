"""What the public may read about who handles an order: the unit's name and the
resolve due time. Unit names are already on the public timeline; nothing about
people is read here."""

from complaints.hooks import HandlingFacts
from dispatch.models import ACTIVE_STATUSES, Assignment, AssignmentRole, AssignmentStatus, Unit


def handling_facts_for(complaint_ids: list[int]) -> dict[int, HandlingFacts]:
    """One query for the whole list. The live lead assignment wins; else the
    latest resolved one (the unit that gave the reply). An order in triage, or
    returned and waiting there, has no facts: no unit holds it."""
    rows = (
        Assignment.objects.filter(
            complaint_id__in=complaint_ids,
            role=AssignmentRole.LEAD,
            status__in=[*ACTIVE_STATUSES, AssignmentStatus.RESOLVED],
        )
        .select_related("holder")
        .only("complaint_id", "status", "resolve_due", "assigned_at", "holder__name")
        .order_by("complaint_id", "-assigned_at", "-pk")
    )
    chosen: dict[int, Assignment] = {}
    for assignment in rows:
        current = chosen.get(assignment.complaint_id)
        if current is None or (assignment.is_active and not current.is_active):
            chosen[assignment.complaint_id] = assignment
    return {
        complaint_id: HandlingFacts(agency=assignment.holder.name, expected=assignment.resolve_due)
        for complaint_id, assignment in chosen.items()
    }


def unit_names_for(unit_ids: list[int]) -> dict[int, str]:
    """Units' own names for the timeline, in one query for the whole list."""
    return dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "name"))
