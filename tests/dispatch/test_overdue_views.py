"""The supervisor's overdue report: their subtree only, longest overdue first, no
personal data, a fixed number of queries."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dispatch.services.assignments import assignment_accept, assignment_record_contact

OVERDUE = reverse("dispatch:overdue")
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
PAST_CONTACT_DUE = T0 + timedelta(hours=30)


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def listed(response) -> list[str]:
    return [a.complaint.tracking_number for a in response.context["page"]]


def test_district_supervisor_sees_their_districts_overdue_orders_only(client, submit, people):
    with time_machine.travel(T0, tick=False):
        dongcheng = submit()
        chaoyang = submit(region="jianwai")
    client.force_login(people["dongcheng_supervisor"])

    with time_machine.travel(PAST_CONTACT_DUE, tick=False):
        response = client.get(OVERDUE)

    html = response.content.decode()
    assert response.status_code == 200
    assert listed(response) == [dongcheng.tracking_number]
    assert chaoyang.tracking_number not in html
    assert "东华门街道办事处" in html
    assert "6\xa0hours" in html  # overdue by: 30 h since filing, 24 h allowed
    assert "13800138000" not in html and "138****8000" not in html and "张" not in html


def test_nothing_is_overdue_before_the_due_time(client, submit, people):
    with time_machine.travel(T0, tick=False):
        submit()
    client.force_login(people["city_supervisor"])
    with time_machine.travel(T0 + timedelta(hours=23), tick=False):
        response = client.get(OVERDUE)
    assert listed(response) == []
    assert "Nothing is overdue." in response.content.decode()


def test_city_supervisor_sees_every_district_longest_overdue_first(client, submit, people):
    with time_machine.travel(T0, tick=False):
        older = submit(region="jianwai")
    with time_machine.travel(T0 + timedelta(hours=2), tick=False):
        newer = submit()
    client.force_login(people["city_supervisor"])
    with time_machine.travel(PAST_CONTACT_DUE, tick=False):
        response = client.get(OVERDUE)
    assert listed(response) == [older.tracking_number, newer.tracking_number]


def test_an_order_whose_contact_was_met_is_overdue_only_at_resolution(client, submit, people):
    handler = people["donghuamen_handler"]
    with time_machine.travel(T0, tick=False):
        complaint = submit()
        assignment = assignment_accept(user=handler, assignment_id=complaint.assignments.get().pk)
        assignment_record_contact(user=handler, assignment_id=assignment.pk, note="电话联系")
    client.force_login(people["dongcheng_supervisor"])
    with time_machine.travel(PAST_CONTACT_DUE, tick=False):
        assert listed(client.get(OVERDUE)) == []
    with time_machine.travel(T0 + timedelta(days=8), tick=False):
        assert listed(client.get(OVERDUE)) == [complaint.tracking_number]


@pytest.mark.parametrize("who", ["donghuamen_handler", "nobody"])
def test_someone_who_supervises_nothing_gets_not_found(client, people, who):
    client.force_login(people[who])
    assert client.get(OVERDUE).status_code == 404


def _count_queries(client) -> int:
    client.get(OVERDUE)  # the process's category and place trees, built once like any later page's
    with CaptureQueriesContext(connection) as captured:
        response = client.get(OVERDUE)
    assert response.status_code == 200
    return len(captured), len(response.context["page"].object_list)


def test_overdue_query_count_does_not_grow_with_rows(client, submit, people, settings):
    settings.WHISTLE_PAGE_SIZE = 50
    client.force_login(people["city_supervisor"])

    with time_machine.travel(T0, tick=False):
        for i in range(5):
            submit(region="jianwai" if i % 2 else "yinzha")
    with time_machine.travel(PAST_CONTACT_DUE, tick=False):
        with_five, rows = _count_queries(client)
    assert rows == 5

    with time_machine.travel(T0, tick=False):
        for i in range(25):
            submit(region="jianwai" if i % 2 else "yinzha")
    with time_machine.travel(PAST_CONTACT_DUE, tick=False):
        with_thirty, rows = _count_queries(client)
    assert rows == 30

    assert with_five == with_thirty
    assert with_thirty <= 7  # + the desk menu's unread-notification count
