from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.hooks import complaint_reopened
from complaints.models import Complaint, ComplaintStatus, EventKind, Rating, Satisfaction
from complaints.services.lifecycle import complaint_lock, complaint_move, complaint_record
from complaints.services.merge import complaint_rate_follower
from complaints.timeline import CENTRE, RESIDENT, SYSTEM
from portal.errors import ActionRefused


def complaint_rate_by_resident(*, complaint: Complaint, solved: bool, satisfaction: str, comment: str = "") -> Rating:
    """The resident's rating from any door (the tracking page, the API). A merged
    complaint's resident rates the result of the order it follows; every other
    complaint is rated itself. Each service checks the state again under its lock."""
    rate = complaint_rate_follower if complaint.status == ComplaintStatus.MERGED else complaint_rate
    return rate(complaint_id=complaint.pk, solved=solved, satisfaction=satisfaction, comment=comment)


def complaint_rate(*, complaint_id: int, solved: bool, satisfaction: str, comment: str = "", taken_by=None) -> Rating:
    """The resident's verdict. Not satisfied reopens the order (dispatch hands it
    back to the unit that resolved it); otherwise the order closes.

    `taken_by` is the operator who asked the resident on the 12345 centre's callback
    (回访) and records the answers on their behalf: the rating is the resident's,
    marked as taken by phone, and it reopens or closes exactly the same way."""
    if satisfaction not in Satisfaction.values:
        raise ActionRefused(_("Choose how satisfied you are."))
    with transaction.atomic():
        complaint = complaint_lock(complaint_id=complaint_id)
        if complaint.status != ComplaintStatus.RESOLVED:
            raise ActionRefused(_("Only a resolved complaint can be rated."))
        if Rating.objects.filter(complaint=complaint, round=complaint.reopen_count + 1).exists():
            raise ActionRefused(_("This resolution has already been rated."))
        rating = Rating.objects.create(
            complaint=complaint,
            round=complaint.reopen_count + 1,
            solved=solved,
            satisfaction=satisfaction,
            comment=comment.strip(),
            by_phone=taken_by is not None,
            taken_by=taken_by,
        )
        _record_rating(complaint=complaint, rating=rating)
        if satisfaction == Satisfaction.UNSATISFIED:
            complaint_move(
                complaint=complaint,
                to=ComplaintStatus.REOPENED,
                event=EventKind.REOPENED,
                fact="reopened",
                by=RESIDENT,
            )
            complaint_reopened.send(sender=Complaint, complaint=complaint, actor_label=RESIDENT)
        else:
            complaint_move(
                complaint=complaint, to=ComplaintStatus.CLOSED, event=EventKind.CLOSED, fact="closed_rated", by=SYSTEM
            )
        return rating


def complaint_close_unrated(*, complaint_id: int) -> bool:
    """Close a resolved complaint whose rating window has passed; False if it no
    longer qualifies (rated, reopened, or still inside the window)."""
    with transaction.atomic():
        complaint = complaint_lock(complaint_id=complaint_id)
        cutoff = timezone.now() - settings.WHISTLE_RATING_WINDOW
        if complaint.status != ComplaintStatus.RESOLVED or complaint.resolved_at > cutoff:
            return False
        complaint_move(
            complaint=complaint,
            to=ComplaintStatus.CLOSED,
            event=EventKind.CLOSED,
            fact="closed_unrated",
            by=SYSTEM,
        )
        return True


def complaint_close_unreachable(*, complaint_id: int, actor=None) -> Complaint:
    """Close a resolved, unrated complaint whose resident the callback could not
    reach: closed with no rating, so it counts in neither the resolution nor the
    satisfaction rate. Refuses a complaint that is not resolved or already rated."""
    with transaction.atomic():
        complaint = complaint_lock(complaint_id=complaint_id)
        if complaint.status != ComplaintStatus.RESOLVED:
            raise ActionRefused(_("Only a resolved complaint waits for a callback."))
        if Rating.objects.filter(complaint=complaint, round=complaint.reopen_count + 1).exists():
            raise ActionRefused(_("This resolution has already been rated."))
        complaint_move(
            complaint=complaint,
            to=ComplaintStatus.CLOSED,
            event=EventKind.CLOSED,
            actor=actor,
            fact="closed_unreachable",
            by=CENTRE,
        )
        return complaint


def _record_rating(*, complaint: Complaint, rating: Rating) -> None:
    complaint_record(
        complaint=complaint,
        kind=EventKind.RATED,
        actor=rating.taken_by,
        fact="rated_by_phone" if rating.by_phone else "rated",
        by=CENTRE if rating.by_phone else RESIDENT,
        message=rating.comment,
        data={"solved": rating.solved, "satisfaction": rating.satisfaction},
    )
