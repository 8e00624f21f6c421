"""Open311 knows two states; a 12345 order has ten. The mapping, in one place:

- closed: resolved (the unit has given its reply: the spec's "it has been
  resolved"), closed (rated, or the rating window passed) and rejected (not
  accepted for handling, with the reason in `status_notes`);
- open: everything before a reply, and reopened (the resident was not satisfied,
  so the order is back with the unit);
- merged (a duplicate joined to another order) reads as the order it follows.
"""

from django.db.models import Q

from complaints.models import Complaint, ComplaintStatus

S = ComplaintStatus
OPEN, CLOSED = "open", "closed"
OPEN311_STATUSES = (OPEN, CLOSED)
CLOSED_STATUSES = (S.RESOLVED, S.CLOSED, S.REJECTED)


def open311_status(complaint: Complaint) -> str:
    status = complaint.status
    if status == S.MERGED and complaint.merged_into_id is not None:
        status = complaint.merged_into.status
    return OPEN if status in _open_statuses() else CLOSED


def status_q(wanted: str) -> Q:
    """The complaints that read as `wanted`, as a filter on Complaint."""
    if wanted == OPEN:
        return Q(status__in=_open_statuses()) | Q(status=S.MERGED, merged_into__status__in=_open_statuses())
    return (
        Q(status__in=CLOSED_STATUSES)
        | Q(status=S.MERGED, merged_into__isnull=True)
        | Q(status=S.MERGED, merged_into__status__in=[*CLOSED_STATUSES, S.MERGED])
    )


def _open_statuses() -> list[str]:
    return [s for s in S.values if s not in CLOSED_STATUSES and s != S.MERGED]
