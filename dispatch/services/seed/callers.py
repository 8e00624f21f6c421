"""A returning caller for the demo: 13800138000 has called the hotline before, so
an operator who opens /desk/hotline/?caller=13800138000 sees a history, and one of
the caller's orders waits in the callback queue (resolved a day and a half ago,
never rated).

Each demand goes through the real services (filed, routed, signed for, contacted,
resolved, rated) and is then moved back in time, so its timeline reads as it
would have. A fixed submission token per demand makes the seed idempotent."""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from complaints.models import Category, Channel, Complaint, ComplaintEvent, DemandType, Region, Satisfaction
from complaints.services.rating import complaint_rate
from complaints.services.regions import ImportResult
from complaints.services.submit import complaint_submit
from dispatch.models import Assignment, AssignmentRole
from dispatch.services.assignments import assignment_accept, assignment_record_contact, assignment_resolve
from dispatch.services.routing import complaint_route

DEMO_CALLER = "13800138000"
DEMO_CALLER_NAME = "王秀兰"
_TOKENS = uuid.UUID("0d6c7c1e-3f0a-4c2b-9a51-5e0b1f8a2d10")


@dataclass(frozen=True)
class _Call:
    key: str
    category: str
    region: str
    address: str
    description: str
    days_ago: float
    # How far the order got: "open" (routed), "resolved" (waiting for a rating), "closed" (rated).
    reached: str
    reply: str = ""
    resolved_hours_ago: float = 0
    answers: dict | None = None


CALLS = (
    _Call(
        "noise-last-month",
        "noise.neighbour",
        "110101001001",
        "多福巷12号院3号楼",
        "楼上住户每天夜里十二点以后还在搬动家具、跺脚，已经持续两周，影响老人休息。",
        days_ago=40,
        reached="closed",
        reply="社区已上门与楼上住户沟通，对方承诺晚十点后不再搬动家具，社区将持续回访。",
        resolved_hours_ago=38 * 24,
        answers={"noise_time": "night"},
    ),
    _Call(
        "garbage-this-week",
        "city_appearance.garbage",
        "110101001002",
        "银闸胡同东口",
        "胡同口的垃圾桶三天没有清运，已经满出来了，气味很大。",
        days_ago=3,
        reached="resolved",
        reply="已联系环卫所于当日清运，并调整为每日两次清运。",
        resolved_hours_ago=36,
    ),
)


def demo_caller_seed() -> ImportResult:
    """File the demo caller's earlier demands (once; later runs leave them as they are)."""
    result = ImportResult()
    User = get_user_model()
    operator = User.objects.filter(username="operator").first()
    handler = User.objects.filter(username="dhm_handler").first()
    for call in CALLS:
        token = uuid.uuid5(_TOKENS, call.key)
        if Complaint.objects.filter(submission_token=token).exists():
            result.unchanged += 1
            continue
        with transaction.atomic():
            _file(call, token=token, operator=operator, handler=handler)
        result.created += 1
    return result


def _file(call: _Call, *, token: uuid.UUID, operator, handler) -> None:
    complaint = complaint_submit(
        category=Category.objects.get(code=call.category),
        region=Region.objects.get(code=call.region),
        address=call.address,
        description=call.description,
        resident_name=DEMO_CALLER_NAME,
        resident_phone=DEMO_CALLER,
        channel=Channel.HOTLINE,
        demand_type=DemandType.COMPLAINT,
        filed_by=operator,
        submission_token=token,
        answers=call.answers,
        language="zh-hans",
    )
    # Routed here and now rather than by the worker: the seed moves it back in time next.
    complaint_route(complaint_id=complaint.pk)
    lead = Assignment.objects.filter(complaint=complaint, role=AssignmentRole.LEAD).order_by("-pk").first()
    if call.reached != "open" and lead is not None and handler is not None:
        assignment_accept(user=handler, assignment_id=lead.pk)
        assignment_record_contact(user=handler, assignment_id=lead.pk, note="已电话联系市民，了解具体情况。")
        assignment_resolve(user=handler, assignment_id=lead.pk, reply=call.reply)
        if call.reached == "closed":
            complaint_rate(complaint_id=complaint.pk, solved=True, satisfaction=Satisfaction.SATISFIED)
    _move_back(complaint_id=complaint.pk, call=call)


def _move_back(*, complaint_id: int, call: _Call) -> None:
    """Shift every time of the complaint, its events and assignments back so it was
    filed `days_ago` days ago, and resolved `resolved_hours_ago` hours ago."""
    now = timezone.now()
    filed = Complaint.objects.values_list("submitted_at", flat=True).get(pk=complaint_id)
    shift = filed - (now - timedelta(days=call.days_ago))
    resolved_at = now - timedelta(hours=call.resolved_hours_ago) if call.reached != "open" else None
    complaint_times = {"submitted_at": F("submitted_at") - shift}
    if resolved_at is not None:
        complaint_times["resolved_at"] = resolved_at
    if call.reached == "closed":
        complaint_times["closed_at"] = resolved_at + timedelta(hours=2)
    Complaint.objects.filter(pk=complaint_id).update(**complaint_times)
    # Events before the resolution go back with the filing; the resolution and what
    # followed it sit at the resolution time.
    events = ComplaintEvent.objects.filter(complaint_id=complaint_id).order_by("created_at", "pk")
    resolved_event = events.filter(kind="resolved").first()
    if resolved_event is None:
        events.update(created_at=F("created_at") - shift)
    else:
        events.filter(pk__lt=resolved_event.pk).update(created_at=F("created_at") - shift)
        events.filter(pk=resolved_event.pk).update(created_at=resolved_at)
        events.filter(pk__gt=resolved_event.pk).update(created_at=resolved_at + timedelta(hours=2))
    assignments = Assignment.objects.filter(complaint_id=complaint_id)
    moved = {
        name: F(name) - shift
        for name in ("assigned_at", "accepted_at", "contacted_at", "contact_due", "resolve_due", "next_due")
    }
    assignments.update(**moved)
    if resolved_at is not None:
        assignments.filter(resolved_at__isnull=False).update(resolved_at=resolved_at)
