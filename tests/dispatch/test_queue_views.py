"""A unit's queue page: order, urgency marks, filters, pagination, pinned query count."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dispatch.models import Role
from dispatch.services.assignments import assignment_accept, assignment_hand_down, assignment_record_contact
from dispatch.services.triage import triage_dispatch
from tests.dispatch.trees import trees_built
from tests.factories import MembershipFactory

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in Beijing


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def street_client(client, people):
    client.force_login(people["donghuamen_handler"])
    return client


def queue_url(unit, **params):
    url = reverse("dispatch:queue", args=[unit.pk])
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def listed(response) -> list[str]:
    return [a.complaint.tracking_number for a in response.context["page"].object_list]


def test_queue_lists_open_orders_earliest_due_first(street_client, submit, people, units):
    handler = people["donghuamen_handler"]
    with time_machine.travel(T0, tick=False):
        first = submit()
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        second = submit()
    with time_machine.travel(T0 + timedelta(hours=2), tick=False):
        third = submit()
        # The first one's contact deadline is met: it is next due only at resolution, days later.
        assignment = first.assignments.get()
        assignment_accept(user=handler, assignment_id=assignment.pk)
        assignment_record_contact(user=handler, assignment_id=assignment.pk, note="电话联系")
        response = street_client.get(queue_url(units["donghuamen"]))

    assert response.status_code == 200
    assert listed(response) == [second.tracking_number, third.tracking_number, first.tracking_number]
    html = response.content.decode()
    assert html.index(second.tracking_number) < html.index(third.tracking_number) < html.index(first.tracking_number)
    assert reverse("dispatch:order", args=[second.tracking_number]) in html
    assert "东华门街道 › 多福巷社区" in html
    assert "2026-03-03 10:00" in html  # the second's contact deadline, shown in Beijing time


def test_queue_leaves_out_other_units_orders(street_client, submit, units):
    ours = submit()
    theirs = submit(region="jianwai")  # 建外街道, another district's street office
    response = street_client.get(queue_url(units["donghuamen"]))
    assert listed(response) == [ours.tracking_number]
    assert theirs.tracking_number not in response.content.decode()


def test_queue_marks_due_soon_and_overdue(street_client, submit, units):
    with time_machine.travel(T0, tick=False):
        early = submit()
    with time_machine.travel(T0 + timedelta(hours=10), tick=False):
        late = submit()

    with time_machine.travel(T0 + timedelta(hours=21), tick=False):  # 3 h before the early one's contact deadline
        response = street_client.get(queue_url(units["donghuamen"]))
    marks = {a.complaint.tracking_number: a.urgency for a in response.context["page"]}
    assert marks == {early.tracking_number: "due_soon", late.tracking_number: ""}
    assert "due soon" in response.content.decode()
    assert "mark-overdue" not in response.content.decode()

    with time_machine.travel(T0 + timedelta(hours=25), tick=False):
        response = street_client.get(queue_url(units["donghuamen"]))
    marks = {a.complaint.tracking_number: a.urgency for a in response.context["page"]}
    assert marks == {early.tracking_number: "overdue", late.tracking_number: ""}
    assert "mark-overdue" in response.content.decode()


def test_queue_filters_by_status(street_client, submit, people, units):
    waiting = submit()
    signed = submit()
    assignment_accept(user=people["donghuamen_handler"], assignment_id=signed.assignments.get().pk)

    assert listed(street_client.get(queue_url(units["donghuamen"], status="accepted"))) == [signed.tracking_number]
    assert listed(street_client.get(queue_url(units["donghuamen"], status="assigned"))) == [waiting.tracking_number]


def test_queue_filters_by_category_group_including_sub_categories(street_client, submit, people, units):
    construction = submit(category="noise_construction")
    neighbour = submit(category="noise_neighbour")
    misc = submit(category="other_misc")  # no rule: triage, then dispatched here by hand
    triage_dispatch(user=people["dispatcher"], complaint_id=misc.pk, unit_id=units["donghuamen"].pk)

    noise = street_client.get(queue_url(units["donghuamen"], group="noise"))
    assert sorted(listed(noise)) == sorted([construction.tracking_number, neighbour.tracking_number])
    assert listed(street_client.get(queue_url(units["donghuamen"], group="other"))) == [misc.tracking_number]


def test_queue_filters_by_community_of_the_street(street_client, submit, units):
    duofuxiang = submit(region="duofuxiang")
    yinzha = submit(region="yinzha")

    response = street_client.get(queue_url(units["donghuamen"], community="110101001002"))
    assert listed(response) == [yinzha.tracking_number]
    assert duofuxiang.tracking_number not in response.content.decode()
    offered = dict(response.context["filter"].form.fields["community"].choices)
    assert set(offered) - {""} == {"110101001001", "110101001002"}  # not 景山's communities


def test_queue_of_a_non_street_unit_has_no_community_filter(client, submit, people, units):
    submit(category="market_food")
    client.force_login(people["market_handler"])
    response = client.get(queue_url(units["dc_market"], community="110101001001"))
    assert response.status_code == 200
    assert "community" not in response.context["filter"].form.fields
    assert len(listed(response)) == 1


def test_bad_filter_values_show_errors_and_do_not_filter(street_client, submit, units):
    submitted = {submit().tracking_number, submit().tracking_number}

    response = street_client.get(queue_url(units["donghuamen"], status="bogus", group="nope", community="999"))

    assert response.status_code == 200
    errors = response.context["filter"].form.errors
    assert set(errors) == {"status", "group", "community"}
    assert "field-error" in response.content.decode()
    assert set(listed(response)) == submitted


def test_queue_is_paginated_and_keeps_the_filter_in_page_links(street_client, submit, units, settings):
    settings.WHISTLE_PAGE_SIZE = 2
    with time_machine.travel(T0, tick=False):
        first = submit()
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        second = submit()
    with time_machine.travel(T0 + timedelta(hours=2), tick=False):
        third = submit()

    page1 = street_client.get(queue_url(units["donghuamen"], status="assigned"))
    assert listed(page1) == [first.tracking_number, second.tracking_number]
    assert "?status=assigned&amp;page=2" in page1.content.decode()

    page2 = street_client.get(queue_url(units["donghuamen"], status="assigned", page=2))
    assert listed(page2) == [third.tracking_number]

    assert listed(street_client.get(queue_url(units["donghuamen"], page="abc"))) == listed(page1)
    assert listed(street_client.get(queue_url(units["donghuamen"], page=99))) == listed(page2)


def test_queue_shows_hand_downs_from_both_sides(client, submit, people, units):
    complaint = submit()
    assignment = complaint.assignments.get()
    assignment_hand_down(
        user=people["donghuamen_handler"], assignment_id=assignment.pk, community_id=units["duofuxiang"].pk
    )

    client.force_login(people["donghuamen_handler"])
    street_page = client.get(queue_url(units["donghuamen"])).content.decode()
    assert "handed down to 多福巷社区居委会" in street_page

    client.force_login(people["duofuxiang_handler"])
    community_page = client.get(queue_url(units["duofuxiang"]))
    assert listed(community_page) == [complaint.tracking_number]
    assert "handed down by 东华门街道办事处" in community_page.content.decode()


def test_queue_of_someone_elses_unit_is_not_found(client, people, units):
    client.force_login(people["jingshan_handler"])
    assert client.get(queue_url(units["donghuamen"])).status_code == 404
    assert client.get(reverse("dispatch:queue", args=[999999])).status_code == 404
    client.force_login(people["dongcheng_supervisor"])
    assert client.get(queue_url(units["donghuamen"])).status_code == 404


def _count_queries(client, url) -> int:
    trees_built()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_queue_query_count_does_not_grow_with_rows(street_client, submit, people, units, settings):
    settings.WHISTLE_PAGE_SIZE = 50
    handler = people["donghuamen_handler"]
    MembershipFactory(user=handler, unit=units["duofuxiang"], role=Role.HANDLER)

    def add(count):
        for i in range(count):
            complaint = submit(region="yinzha" if i % 2 else "duofuxiang")
            if i % 3 == 0:
                assignment_hand_down(
                    user=handler, assignment_id=complaint.assignments.get().pk, community_id=units["duofuxiang"].pk
                )

    url = queue_url(units["donghuamen"], status="assigned", group="noise")
    add(5)
    with_five = _count_queries(street_client, url)
    add(25)
    with_thirty = _count_queries(street_client, url)

    assert with_five == with_thirty
    # + the desk menu's unread-notification count; the page is two queries (its ids, then their rows)
    assert with_thirty <= 8
