"""Merging duplicates (并单): a follower complaint joins a lead order, its resident
watches the lead's progress and rates the result; a merge can be undone.

Who may merge is dispatch's business (dispatch.services.merge wraps these and
closes the follower's assignment and triage item in the same transaction)."""

from django.db import transaction
from django.utils.translation import gettext as _

from complaints.models import Complaint, ComplaintStatus, EventKind, Rating, Satisfaction
from complaints.services.lifecycle import complaint_lock, complaint_move, complaint_record
from complaints.timeline import CENTRE, RESIDENT
from portal.errors import ActionRefused, ChangedBySomeoneElse, NotFound

S = ComplaintStatus
# A lead that will see no more work cannot carry anyone else's complaint.
LEAD_REFUSED = (S.CLOSED, S.REJECTED, S.MERGED)
# The lead's results a follower's resident is asked to rate.
LEAD_RATEABLE = (S.RESOLVED, S.CLOSED)
FOLLOWER_ROUND = 1


def complaint_merge(
    *, follower_id: int, lead_id: int, actor=None, by: str | int = CENTRE, version: int | None = None
) -> Complaint:
    """Make `follower` a follower of `lead`. Refuses, changing nothing: itself, a
    finished or merged lead, another category, a follower that leads others, one
    already merged or past the point where the state machine allows a merge."""
    if follower_id == lead_id:
        raise ActionRefused(_("An order cannot be merged into itself."))
    with transaction.atomic():
        follower, lead = _lock_pair(follower_id=follower_id, lead_id=lead_id)
        if version is not None and version != follower.version:
            raise ChangedBySomeoneElse()
        if follower.status == S.MERGED:
            raise ActionRefused(_("This order is already merged into another one."))
        if lead.status in LEAD_REFUSED:
            raise ActionRefused(
                _("Order %(number)s is %(status)s; merge only into an open order.")
                % {"number": lead.tracking_number, "status": lead.get_status_display()}
            )
        if lead.category_id != follower.category_id:
            raise ActionRefused(_("Only orders of the same category can be merged."))
        if Complaint.objects.filter(merged_into=follower).exists():
            raise ActionRefused(_("Other orders are merged into this one; it cannot follow another order."))
        follower.merged_from_status = follower.status
        complaint_move(
            complaint=follower,
            to=S.MERGED,
            event=EventKind.MERGED,
            actor=actor,
            fact="merged",
            by=by,
            data={"lead_id": lead.pk, "number": lead.tracking_number, "from_status": follower.merged_from_status},
        )
        follower.merged_into = lead
        follower.save(update_fields=["merged_into", "merged_from_status", "updated_at"])
        complaint_record(
            complaint=lead,
            kind=EventKind.NOTE,
            actor=actor,
            fact="merged_lead",
            by=by,
            data={"follower_id": follower.pk, "number": follower.tracking_number},
        )
        return follower


def complaint_unmerge(*, follower_id: int, actor=None, by: str | int = CENTRE, version: int | None = None) -> Complaint:
    """Undo a merge: the follower is on its own again and starts over at the 12345
    centre as `submitted` (the caller puts it in triage, so the automatic routing
    sweep leaves it to a person)."""
    with transaction.atomic():
        follower = complaint_lock(complaint_id=follower_id)
        if version is not None and version != follower.version:
            raise ChangedBySomeoneElse()
        if follower.status != S.MERGED or follower.merged_into_id is None:
            raise ActionRefused(_("This order is not merged into another one."))
        lead = follower.merged_into
        was = follower.merged_from_status
        # The link goes first: the database allows it only on a merged row.
        follower.merged_into = None
        follower.merged_from_status = ""
        follower.save(update_fields=["merged_into", "merged_from_status", "updated_at"])
        complaint_move(
            complaint=follower,
            to=S.SUBMITTED,
            event=EventKind.TRIAGED,
            actor=actor,
            fact="unmerged",
            by=by,
            data={"lead_id": lead.pk, "number": lead.tracking_number, "merged_from_status": was},
        )
        complaint_record(
            complaint=lead,
            kind=EventKind.NOTE,
            actor=actor,
            fact="unmerged_lead",
            by=by,
            data={"follower_id": follower.pk, "number": follower.tracking_number},
        )
        return follower


def follower_can_rate(*, follower: Complaint) -> bool:
    """The follower's resident is asked once, when the lead has a result."""
    lead = follower.merged_into
    return (
        follower.status == S.MERGED
        and lead is not None
        and lead.status in LEAD_RATEABLE
        and not follower.ratings.exists()
    )


def complaint_rate_follower(*, complaint_id: int, solved: bool, satisfaction: str, comment: str = "") -> Rating:
    """A follower's resident rates the lead's result. The rating is the
    follower's; the follower stays merged. Not satisfied does not reopen the lead
    (its own resident decides that) but tells its unit, on the lead's timeline."""
    if satisfaction not in Satisfaction.values:
        raise ActionRefused(_("Choose how satisfied you are."))
    with transaction.atomic():
        follower = complaint_lock(complaint_id=complaint_id)
        if not (follower.status == S.MERGED and follower.merged_into_id):
            raise ActionRefused(_("Only a resolved complaint can be rated."))
        if not follower_can_rate(follower=follower):
            if follower.ratings.exists():
                raise ActionRefused(_("You have already rated this result. Thank you."))
            raise ActionRefused(_("You can rate once the order it was merged into is resolved."))
        rating = Rating.objects.create(
            complaint=follower,
            round=FOLLOWER_ROUND,
            solved=solved,
            satisfaction=satisfaction,
            comment=comment.strip(),
        )
        complaint_record(
            complaint=follower,
            kind=EventKind.RATED,
            fact="rated",
            by=RESIDENT,
            message=rating.comment,
            data={"solved": rating.solved, "satisfaction": rating.satisfaction},
        )
        if satisfaction == Satisfaction.UNSATISFIED:
            # Public, so no tracking number: the lead's resident must not learn another's.
            complaint_record(
                complaint=follower.merged_into,
                kind=EventKind.NOTE,
                fact="follower_unsatisfied",
                by=RESIDENT,
                data={"follower_id": follower.pk, "solved": rating.solved},
            )
        return rating


def _lock_pair(*, follower_id: int, lead_id: int) -> tuple[Complaint, Complaint]:
    """Both rows locked, lower id first, so two merges of the same pair in
    opposite directions wait for each other instead of deadlocking."""
    locked = {}
    for pk in sorted((follower_id, lead_id)):
        try:
            locked[pk] = complaint_lock(complaint_id=pk)
        except NotFound:
            if pk == follower_id:
                raise
            raise ActionRefused(_("There is no order to merge into.")) from None
    return locked[follower_id], locked[lead_id]
