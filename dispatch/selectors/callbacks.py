"""Reads for the 12345 centre's callbacks (回访): which resolved orders wait for a
call asking the resident how it went, and whether one order may be called now.

An order joins the queue WHISTLE_CALLBACK_DELAY after it was resolved, so the
resident has that long to rate it themselves; a call nobody answered brings it
back WHISTLE_CALLBACK_RETRY_AFTER later. Attempts count per resolution (`round`,
as Rating.round): after a reopen and a new resolution the callbacks start again.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import Complaint, ComplaintEvent, ComplaintStatus, EventKind, Rating
from dispatch.access import reach_of
from dispatch.models import Assignment, AssignmentRole, AssignmentStatus, CallbackAttempt
from portal.errors import NotFound

SHOWN_AS = "%Y-%m-%d %H:%M"
RATE, NO_ANSWER = "rate", "no_answer"


def callback_check_reach(*, user) -> None:
    """Only the 12345 centre (its operators and dispatchers) works callbacks."""
    if not reach_of(user).is_centre:
        raise NotFound


def callback_queue_for(*, user, now: datetime) -> QuerySet[Complaint]:
    """Resolved orders due for a callback, resolved longest ago first: no rating for
    their current resolution, resolved at least the delay ago, and no unanswered
    call within the retry interval. Each row carries `attempts_made`,
    `last_attempt_at`, `resolved_by_name`, `handled_by_name` and `reply`, all in the
    page's one query."""
    callback_check_reach(user=user)
    return (
        _with_callback_facts(Complaint.objects.filter(status=ComplaintStatus.RESOLVED))
        .filter(resolved_at__lte=now - settings.WHISTLE_CALLBACK_DELAY, rated=False)
        .filter(Q(last_attempt_at__isnull=True) | Q(last_attempt_at__lte=now - settings.WHISTLE_CALLBACK_RETRY_AFTER))
        .order_by("resolved_at", "pk")
    )


def callback_get_for(*, user, tracking_number: str) -> Complaint:
    """One order as the callback pages show it, whatever its state (the page says
    why it cannot be called now). NotFound for an unknown number or outside the centre."""
    callback_check_reach(user=user)
    complaint = _with_callback_facts(Complaint.objects.filter(tracking_number=tracking_number)).first()
    if complaint is None:
        raise NotFound
    return complaint


def callback_attempts_of(*, complaint: Complaint) -> QuerySet[CallbackAttempt]:
    """The unanswered calls on the order's current resolution, first first, with who called."""
    return (
        CallbackAttempt.objects.filter(complaint=complaint, round=complaint.reopen_count + 1)
        .select_related("operator")
        .order_by("attempted_at", "pk")
    )


@dataclass(frozen=True)
class CallbackFacts:
    """What decides whether an order may be called now."""

    status: str
    status_label: str
    resolved_at: datetime | None
    rated: bool  # the current resolution has a rating
    last_attempt_at: datetime | None


def callback_facts(*, complaint: Complaint) -> CallbackFacts:
    """The facts of `complaint` as they are now (two small queries). The services
    call it on the row they locked; the order's callback page on the row it shows."""
    attempts_round = complaint.reopen_count + 1
    # The resolution the operator's page was about: the current one while resolved
    # or closed; otherwise the one whose "not satisfied" reopened it.
    if complaint.status in (ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED) or not complaint.reopen_count:
        judged_round = attempts_round
    else:
        judged_round = complaint.reopen_count
    last = (
        CallbackAttempt.objects.filter(complaint=complaint, round=attempts_round)
        .order_by("-attempted_at", "-pk")
        .values_list("attempted_at", flat=True)
        .first()
    )
    return CallbackFacts(
        status=complaint.status,
        status_label=str(complaint.get_status_display()),
        resolved_at=complaint.resolved_at,
        rated=Rating.objects.filter(complaint=complaint, round=judged_round).exists(),
        last_attempt_at=last,
    )


def callback_refusal(*, facts: CallbackFacts, now: datetime, action: str) -> str | None:
    """Why `action` (RATE or NO_ANSWER) cannot be recorded now, or None.

    Only due orders are called: before the delay the resident may still rate it
    themselves, and a phone rating cannot be taken back. A rating may be taken
    any time after that (a resident who missed the call may ring back), but a
    second "no answer" within the retry interval is refused: it is nearly always
    two operators on the same row, and counting both would close the order as
    unreachable after one real try."""
    if facts.rated:
        return _("The resident has already rated this resolution.")
    if facts.status == ComplaintStatus.CLOSED:
        return _("This order is already closed.")
    if facts.status != ComplaintStatus.RESOLVED:
        return _("Only a resolved order waits for a callback; this one is “%(status)s”.") % {
            "status": facts.status_label
        }
    due_from = facts.resolved_at + settings.WHISTLE_CALLBACK_DELAY
    if now < due_from:
        return _("This order is due for a callback from %(time)s: until then the resident may rate it themselves.") % {
            "time": _shown(due_from)
        }
    if action == NO_ANSWER and facts.last_attempt_at is not None:
        again = facts.last_attempt_at + settings.WHISTLE_CALLBACK_RETRY_AFTER
        if now < again:
            return _("An unanswered callback was recorded at %(last)s; call again from %(again)s.") % {
                "last": _shown(facts.last_attempt_at),
                "again": _shown(again),
            }
    return None


def _with_callback_facts(complaints: QuerySet[Complaint]) -> QuerySet[Complaint]:
    """Annotate each complaint with its callback facts, each a correlated subquery,
    so a page of rows costs one query however long the table is."""
    current_round = OuterRef("reopen_count") + 1
    attempts = CallbackAttempt.objects.filter(complaint=OuterRef("pk"), round=current_round)
    resolved_by = Assignment.objects.filter(
        complaint=OuterRef("pk"), role=AssignmentRole.LEAD, status=AssignmentStatus.RESOLVED
    ).order_by("-resolved_at", "-pk")
    reply = ComplaintEvent.objects.filter(complaint=OuterRef("pk"), kind=EventKind.RESOLVED, is_public=True).order_by(
        "-created_at", "-pk"
    )
    return complaints.select_related("category__parent", "region__parent").annotate(
        rated=Exists(Rating.objects.filter(complaint=OuterRef("pk"), round=current_round)),
        attempts_made=Coalesce(
            Subquery(
                attempts.order_by().values("complaint").annotate(n=Count("pk")).values("n")[:1],
                output_field=IntegerField(),
            ),
            0,
        ),
        last_attempt_at=Subquery(attempts.order_by("-attempted_at", "-pk").values("attempted_at")[:1]),
        resolved_by_name=Subquery(resolved_by.values("unit__name")[:1]),
        handled_by_name=Subquery(resolved_by.values("holder__name")[:1]),
        reply=Subquery(reply.values("message")[:1]),
    )


def _shown(moment: datetime) -> str:
    return timezone.localtime(moment).strftime(SHOWN_AS)
