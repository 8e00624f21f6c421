from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.hooks import complaint_reopened
from complaints.models import Complaint, ComplaintStatus, EventKind, Rating, Satisfaction
from complaints.services.lifecycle import complaint_lock, complaint_move, complaint_record
from complaints.services.merge import complaint_rate_follower
from complaints.timeline import RESIDENT, SYSTEM
from portal.errors import ActionRefused


def complaint_rate_by_resident(*, complaint: Complaint, solved: bool, satisfaction: str, comment: str = "") -> Rating:
    """The resident's rating from any door (the tracking page, the API). A merged
    complaint's resident rates the result of the order it follows; every other
    complaint is rated itself. Each service checks the state again under its lock."""
    rate = complaint_rate_follower if complaint.status == ComplaintStatus.MERGED else complaint_rate
    return rate(complaint_id=complaint.pk, solved=solved, satisfaction=satisfaction, comment=comment)


def complaint_rate(*, complaint_id: int, solved: bool, satisfaction: str, comment: str = "") -> Rating:
    """The resident's verdict. Not satisfied reopens the order (dispatch hands it
    back to the unit that resolved it); otherwise the order closes."""
    if satisfaction not in Satisfaction.values:
        raise ActionRefused(_("Choose how satisfied you are."))
    with transaction.atomic():
        complaint = complaint_lock(complaint_id=complaint_id)
        if complaint.status != ComplaintStatus.RESOLVED:
            raise ActionRefused(_("Only a resolved complaint can be rated."))
        rating = Rating.objects.create(
            complaint=complaint,
            round=complaint.reopen_count + 1,
            solved=solved,
            satisfaction=satisfaction,
            comment=comment.strip(),
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


def _record_rating(*, complaint: Complaint, rating: Rating) -> None:
    complaint_record(
        complaint=complaint,
        kind=EventKind.RATED,
        fact="rated",
        by=RESIDENT,
        message=rating.comment,
        data={"solved": rating.solved, "satisfaction": rating.satisfaction},
    )
