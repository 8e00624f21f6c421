"""The in-app notification list: each person sees only their own, newest first,
unread marked, "mark all read" touches only their own, and the desk menu shows
the unread count for one query."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dispatch.models import Notification
from dispatch.services.alerts import alerts_sweep

NOTIFICATIONS = reverse("dispatch:notifications")
MARK_READ = reverse("dispatch:notifications_read")
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
WARNED = T0 + timedelta(hours=20)  # past the 80 % warning of the 24 h contact deadline


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def warned(submit, people):
    """One order each at 东华门街道 and 景山街道, both past the contact warning."""
    with time_machine.travel(T0, tick=False):
        donghuamen = submit()
        jingshan = submit(region="longfusi")
    alerts_sweep(now=WARNED)
    return {"donghuamen": donghuamen, "jingshan": jingshan}


def listed(response) -> list[str]:
    return [n.alert.assignment.complaint.tracking_number for n in response.context["page"].object_list]


def test_a_handler_sees_only_their_own_notifications(client, people, warned):
    client.force_login(people["donghuamen_handler"])

    response = client.get(NOTIFICATIONS)

    html = response.content.decode()
    assert response.status_code == 200
    assert listed(response) == [warned["donghuamen"].tracking_number]
    assert warned["jingshan"].tracking_number not in html
    assert reverse("dispatch:order", args=[warned["donghuamen"].tracking_number]) in html
    assert "Contact deadline near" in html and "New" in html
    assert "张三" not in html and "13800138000" not in html


def test_someone_with_no_notifications_sees_an_empty_list(client, people, warned):
    client.force_login(people["nobody"])
    response = client.get(NOTIFICATIONS)
    assert listed(response) == []
    assert "No notifications." in response.content.decode()


def test_the_desk_menu_shows_the_unread_count(client, people, warned):
    client.force_login(people["donghuamen_handler"])
    html = client.get(NOTIFICATIONS).content.decode()
    assert 'title="unread">1</span>' in html


def test_mark_all_read_marks_only_the_users_own(client, people, warned):
    client.force_login(people["donghuamen_handler"])

    response = client.post(MARK_READ, follow=True)

    assert response.redirect_chain == [(NOTIFICATIONS, 302)]
    html = response.content.decode()
    assert "1 notification marked read." in html
    assert 'title="unread"' not in html and "Mark all read" not in html
    assert not Notification.objects.filter(user=people["donghuamen_handler"], read_at__isnull=True).exists()
    assert Notification.objects.get(user=people["jingshan_handler"]).read_at is None


def test_mark_all_read_with_nothing_unread_says_so(client, people, warned):
    client.force_login(people["donghuamen_handler"])
    client.post(MARK_READ)
    response = client.post(MARK_READ, follow=True)
    assert "There was nothing unread." in response.content.decode()


def test_mark_all_read_refuses_get_and_changes_nothing(client, people, warned):
    client.force_login(people["donghuamen_handler"])
    assert client.get(MARK_READ).status_code == 405
    assert Notification.objects.filter(read_at__isnull=True).count() == 2


@pytest.mark.parametrize("url", [NOTIFICATIONS, MARK_READ])
def test_anonymous_visitors_are_sent_to_sign_in(client, warned, url):
    response = client.post(url) if url == MARK_READ else client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert Notification.objects.filter(read_at__isnull=True).count() == 2


def _queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in captured]


def test_the_list_keeps_a_fixed_query_count_as_rows_grow(client, submit, people, settings):
    settings.WHISTLE_PAGE_SIZE = 50
    client.force_login(people["donghuamen_handler"])
    with time_machine.travel(T0, tick=False):
        submit()
    alerts_sweep(now=WARNED)
    few = len(_queries(client, NOTIFICATIONS))

    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        for _ in range(6):
            submit(region="yinzha")
    alerts_sweep(now=WARNED + timedelta(minutes=1))
    many = _queries(client, NOTIFICATIONS)

    assert Notification.objects.filter(user=people["donghuamen_handler"]).count() == 7
    assert len(many) == few


def test_the_unread_count_costs_one_query_on_a_desk_page(client, people, units, warned):
    client.force_login(people["donghuamen_handler"])
    queries = _queries(client, reverse("dispatch:queue", args=[units["donghuamen"].pk]))
    assert sum("dispatch_notification" in sql for sql in queries) == 1


def test_public_pages_do_not_count_notifications(client, people, warned):
    client.force_login(people["donghuamen_handler"])
    queries = _queries(client, reverse("complaints:home"))
    assert not any("dispatch_notification" in sql for sql in queries)
