"""What the callback tests (tests/dispatch/test_callbacks_*.py) share: a hotline
operator of the 12345 centre, and an order worked to `resolved` by its unit."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

from dispatch.models import ACTIVE_STATUSES, Assignment, AssignmentRole, Role
from dispatch.services.assignments import assignment_accept, assignment_record_contact, assignment_resolve
from tests.factories import MembershipFactory, UserFactory

BJ = ZoneInfo("Asia/Shanghai")
# Tuesday 1 December 2026, 10:00 in Beijing: the unit resolves; callbacks are due a day later.
RESOLVED_AT = datetime(2026, 12, 1, 10, tzinfo=BJ)
QUEUE = reverse("dispatch:callbacks")
REPLY = "已责令施工方夜间停工，并安排城管夜间巡查"


def make_operator(units, username: str = "operator_li", name: str = "李丽"):
    user = UserFactory(username=username, first_name=name)
    MembershipFactory(user=user, unit=units["centre"], role=Role.OPERATOR)
    return user


def resolve(complaint, handler, *, reply: str = REPLY):
    """The live lead assignment signed for, contacted and resolved the way its handler would."""
    assignment = Assignment.objects.get(complaint=complaint, role=AssignmentRole.LEAD, status__in=ACTIVE_STATUSES)
    assignment_accept(user=handler, assignment_id=assignment.pk)
    assignment_record_contact(user=handler, assignment_id=assignment.pk, note="电话联系了市民")
    assignment_resolve(user=handler, assignment_id=assignment.pk, reply=reply)
    complaint.refresh_from_db()
    assert complaint.status == "resolved"
    return complaint


def rate_url(complaint) -> str:
    return reverse("dispatch:callback_rate", args=[complaint.tracking_number])


def no_answer_url(complaint) -> str:
    return reverse("dispatch:callback_no_answer", args=[complaint.tracking_number])
