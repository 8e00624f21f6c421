"""The 12345 centre's callbacks (回访): an operator calls the resident of a resolved
order and records their rating for them, or records that nobody answered.

Both run under the complaint's row lock and check again there whether the order
may be called now (dispatch.selectors.callbacks.callback_refusal), so two
operators on the same row give one success and one clear refusal."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from complaints.models import Complaint, EventKind, Rating
from complaints.services.lifecycle import complaint_lock, complaint_record
from complaints.services.rating import complaint_close_unreachable, complaint_rate
from complaints.timeline import CENTRE
from dispatch.models import CallbackAttempt
from dispatch.selectors.callbacks import NO_ANSWER, RATE, callback_check_reach, callback_facts, callback_refusal
from portal.errors import ActionRefused


@dataclass(frozen=True)
class NoAnswer:
    attempt: int  # this call's number on the current resolution
    attempts: int  # how many unanswered calls close the order
    closed: bool  # this one closed it as "resident unreachable"


def callback_record_rating(*, user, complaint_id: int, solved: bool, satisfaction: str, comment: str = "") -> Rating:
    """The resident's answers on the call, recorded as their rating taken by phone
    by `user`: it counts, closes and reopens exactly as their own would."""
    callback_check_reach(user=user)
    with transaction.atomic():
        _lock_callable(complaint_id=complaint_id, action=RATE)
        return complaint_rate(
            complaint_id=complaint_id, solved=solved, satisfaction=satisfaction, comment=comment, taken_by=user
        )


def callback_no_answer(*, user, complaint_id: int) -> NoAnswer:
    """Nobody answered: one more attempt on the current resolution. The attempt that
    reaches WHISTLE_CALLBACK_ATTEMPTS closes the order as "resident unreachable",
    with no rating."""
    callback_check_reach(user=user)
    limit = settings.WHISTLE_CALLBACK_ATTEMPTS
    with transaction.atomic():
        complaint = _lock_callable(complaint_id=complaint_id, action=NO_ANSWER)
        round_ = complaint.reopen_count + 1
        CallbackAttempt.objects.create(complaint=complaint, round=round_, operator=user)
        made = CallbackAttempt.objects.filter(complaint=complaint, round=round_).count()
        complaint_record(
            complaint=complaint,
            kind=EventKind.NOTE,
            actor=user,
            fact="callback_unanswered",
            by=CENTRE,
            data={"attempt": made, "attempts": limit},
        )
        closed = made >= limit
        if closed:
            complaint_close_unreachable(complaint_id=complaint.pk, actor=user)
        return NoAnswer(attempt=made, attempts=limit, closed=closed)


def _lock_callable(*, complaint_id: int, action: str) -> Complaint:
    """The complaint locked for the caller's transaction, or a refusal saying why it
    cannot be called now."""
    complaint = complaint_lock(complaint_id=complaint_id)
    refusal = callback_refusal(facts=callback_facts(complaint=complaint), now=timezone.now(), action=action)
    if refusal:
        raise ActionRefused(refusal)
    return complaint
