"""A person's own notifications over the API: the list (newest first, read state,
the page's words), the unread count, marking one or all read — never anyone else's."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dispatch.models import Notification, Role
from dispatch.services.alerts import alerts_sweep
from tests.factories import MembershipFactory, UserFactory

NOTIFICATIONS = "/api/v1/notifications/"
UNREAD = "/api/v1/notifications/unread-count/"
READ_ALL = "/api/v1/notifications/read-all/"
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
WARNED = T0 + timedelta(hours=20)  # past the 80 % warning of the 24 h contact deadline
BREACHED = T0 + timedelta(hours=25)
ESCALATED = T0 + timedelta(hours=49)  # a further 24 h on: up to the district


@pytest.fixture
def warned(submit, people):
    """One order each at 东华门街道 and 景山街道, both past the contact warning."""
    with time_machine.travel(T0, tick=False):
        donghuamen = submit()
        jingshan = submit(region="longfusi")
    alerts_sweep(now=WARNED)
    return {"donghuamen": donghuamen, "jingshan": jingshan}


def read_url(notification) -> str:
    return f"/api/v1/notifications/{notification.pk}/read/"


def ok(response) -> dict:
    assert response.status_code == 200, response.content
    return response.json()


def test_a_handler_lists_only_their_own_with_the_page_s_words(api_as, people, warned, units):
    page = ok(api_as(people["donghuamen_handler"]).get(NOTIFICATIONS))

    (row,) = page["results"]
    notification = Notification.objects.get(user=people["donghuamen_handler"])
    assert row == {
        "id": notification.pk,
        "created_at": row["created_at"],
        "read": False,
        "read_at": None,
        "kind": "contact_warning",
        "text": "Contact deadline near",
        "why": "You handle it (东华门街道办事处)",
        "tracking_number": warned["donghuamen"].tracking_number,
        "unit": "东华门街道办事处",
        "due": "2026-03-03T09:00:00+08:00",
    }
    assert warned["jingshan"].tracking_number not in str(page)
    assert "张三" not in str(page) and "13800138000" not in str(page)


def test_the_words_follow_the_reader_s_language(api_as, people, warned):
    (row,) = ok(api_as(people["donghuamen_handler"], language="zh-hans").get(NOTIFICATIONS))["results"]
    assert "东华门街道办事处" in row["why"] and "You handle it" not in row["why"]
    assert row["text"] != "Contact deadline near"


def test_supervisors_hear_of_a_breach_and_of_its_escalation_newest_first(api_as, people, units, warned):
    street_supervisor = UserFactory(username="donghuamen_supervisor")
    MembershipFactory(user=street_supervisor, unit=units["donghuamen"], role=Role.SUPERVISOR)
    alerts_sweep(now=BREACHED)
    alerts_sweep(now=ESCALATED)

    (street,) = ok(api_as(street_supervisor).get(NOTIFICATIONS))["results"]
    assert (street["kind"], street["why"]) == ("contact_breach", "You supervise 东华门街道办事处")
    district = ok(api_as(people["dongcheng_supervisor"]).get(NOTIFICATIONS))["results"]
    # 景山街道办事处 has no supervisor: its level-1 breach climbs to the district's too.
    assert sorted(row["why"] for row in district) == ["Escalated to 东城区人民政府"] * 2 + [
        "You supervise 东城区人民政府"
    ]
    assert [row["id"] for row in district] == sorted((row["id"] for row in district), reverse=True)


def test_someone_with_no_notifications_gets_an_empty_list(api_as, people, warned):
    page = ok(api_as(people["nobody"]).get(NOTIFICATIONS))
    assert (page["count"], page["results"]) == (0, [])
    assert ok(api_as(people["nobody"]).get(UNREAD)) == {"unread": 0}


def test_marking_one_read_changes_only_it_and_the_unread_count(api_as, people, submit, warned):
    with time_machine.travel(T0, tick=False):
        submit(region="yinzha")
    alerts_sweep(now=WARNED)
    client = api_as(people["donghuamen_handler"])
    mine = list(Notification.objects.filter(user=people["donghuamen_handler"]).order_by("pk"))
    assert len(mine) == 2 and ok(client.get(UNREAD)) == {"unread": 2}

    with time_machine.travel(BREACHED + timedelta(minutes=5), tick=False):
        row = ok(client.post(read_url(mine[0])))

    assert (row["id"], row["read"], row["read_at"]) == (mine[0].pk, True, "2026-03-03T10:05:00+08:00")
    assert ok(client.get(UNREAD)) == {"unread": 1}
    listed = {r["id"]: r["read"] for r in ok(client.get(NOTIFICATIONS))["results"]}
    assert listed == {mine[0].pk: True, mine[1].pk: False}

    with time_machine.travel(BREACHED + timedelta(hours=1), tick=False):
        again = ok(client.post(read_url(mine[0])))
    assert again["read_at"] == row["read_at"]  # marking it again keeps the first time


def test_someone_else_s_notification_is_not_found_and_stays_unread(api_as, people, warned):
    theirs = Notification.objects.get(user=people["jingshan_handler"])
    response = api_as(people["donghuamen_handler"]).post(read_url(theirs))
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_an_unknown_notification_is_not_found(api_as, people, warned):
    assert api_as(people["donghuamen_handler"]).post("/api/v1/notifications/999999/read/").status_code == 404


def test_mark_all_read_marks_only_the_user_s_own(api_as, people, warned):
    client = api_as(people["donghuamen_handler"])
    assert ok(client.post(READ_ALL)) == {"marked": 1}
    assert ok(client.post(READ_ALL)) == {"marked": 0}
    assert ok(client.get(UNREAD)) == {"unread": 0}
    assert Notification.objects.get(user=people["jingshan_handler"]).read_at is None


@pytest.mark.parametrize(
    ("method", "url"),
    [("get", NOTIFICATIONS), ("get", UNREAD), ("post", READ_ALL), ("post", "/api/v1/notifications/1/read/")],
)
def test_signing_in_is_required(api_as, warned, method, url):
    assert getattr(api_as(), method)(url).status_code == 401
    assert not Notification.objects.filter(read_at__isnull=False).exists()


@pytest.mark.parametrize(("method", "url"), [("post", NOTIFICATIONS), ("get", READ_ALL), ("delete", UNREAD)])
def test_the_wrong_method_is_refused(api_as, people, method, url):
    assert getattr(api_as(people["donghuamen_handler"]), method)(url).status_code == 405


def test_the_list_keeps_a_fixed_query_count_as_rows_grow(api_as, submit, people):
    def queries() -> int:
        client = api_as(User.objects.get(pk=people["donghuamen_handler"].pk))
        with CaptureQueriesContext(connection) as captured:
            ok(client.get(NOTIFICATIONS))
        return len(captured)

    with time_machine.travel(T0, tick=False):
        submit()
    alerts_sweep(now=WARNED)
    one = queries()
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        for _ in range(6):
            submit(region="yinzha")
    alerts_sweep(now=WARNED + timedelta(minutes=1))
    assert Notification.objects.filter(user=people["donghuamen_handler"]).count() == 7
    assert queries() == one
