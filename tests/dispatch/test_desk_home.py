import pytest
from django.urls import reverse

from dispatch.access import reach_of
from dispatch.models import Role
from dispatch.selectors.desk import handler_units_with_open_counts
from dispatch.services.assignments import assignment_hand_down
from tests.factories import MembershipFactory

HOME = reverse("dispatch:home")


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def test_handler_of_one_unit_goes_to_its_queue(client, people, units):
    client.force_login(people["donghuamen_handler"])
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url == reverse("dispatch:queue", args=[units["donghuamen"].pk])


def test_handler_of_several_units_sees_them_with_open_counts(client, people, units, submit):
    handler = people["donghuamen_handler"]
    MembershipFactory(user=handler, unit=units["dc_market"], role=Role.HANDLER)
    submit()
    submit()
    submit(category="market_food")

    client.force_login(handler)
    response = client.get(HOME)

    assert response.status_code == 200
    counts = {unit.code: unit.open_count for unit in response.context["units"]}
    assert counts == {"s-110101001": 2, "dep-110101-market": 1}
    assert reverse("dispatch:queue", args=[units["dc_market"].pk]) in response.content.decode()


def test_open_counts_take_one_query_and_count_a_handed_down_order_once(
    people, units, submit, django_assert_num_queries
):
    handler = people["donghuamen_handler"]
    MembershipFactory(user=handler, unit=units["duofuxiang"], role=Role.HANDLER)
    complaint = submit()
    assignment = complaint.assignments.get()
    assignment_hand_down(user=handler, assignment_id=assignment.pk, community_id=units["duofuxiang"].pk)
    reach_of(handler)  # memberships are read once per request; count only the list itself

    with django_assert_num_queries(1):
        counts = {unit.code: unit.open_count for unit in handler_units_with_open_counts(user=handler)}
    assert counts == {"s-110101001": 1, "c-110101001001": 1}


def test_dispatcher_goes_to_triage(client, people):
    client.force_login(people["dispatcher"])
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url == reverse("dispatch:triage")


def test_supervisor_goes_to_the_overdue_report(client, people):
    client.force_login(people["dongcheng_supervisor"])
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url == reverse("dispatch:overdue")


def test_user_without_a_role_is_told_so(client, people):
    client.force_login(people["nobody"])
    response = client.get(HOME)
    assert response.status_code == 200
    assert "Your account has no role at any unit yet." in response.content.decode()


def test_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
