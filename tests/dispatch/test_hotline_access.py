# ruff: noqa: F811
"""The hotline desk is the 12345 centre's: its operators and dispatchers. To anyone
else (a handler, a supervisor, someone not signed in) every hotline URL is a 404,
a forged form included, and nothing is saved."""

import pytest
from django.urls import reverse

from complaints.models import Complaint
from dispatch.models import DirectAnswer

# The shared fixtures are imported by name, so pytest finds them and ruff sees them used.
from tests.dispatch.hotline_setup import (  # noqa: F401
    DESK,
    article,
    english,
    filed_url,
    form_data,
    noise_time,
    operator,
    operator_client,
)
from tests.factories import UserFactory

OUTSIDERS = [
    "donghuamen_handler",
    "duofuxiang_handler",
    "market_handler",
    "dongcheng_supervisor",
    "city_supervisor",
    "nobody",
]


def hotline_urls(number: str) -> list[str]:
    return [
        DESK,
        DESK + "?caller=13800138000",
        filed_url(number),
        reverse("dispatch:hotline_places") + "?q=多福",
        reverse("dispatch:hotline_caller") + "?caller=13800138000",
        reverse("dispatch:hotline_nearby") + "?region=110101001001",
        reverse("dispatch:hotline_knowledge") + "?kq=供暖",
        reverse("dispatch:hotline_questions") + "?category=1",
    ]


@pytest.fixture
def filed(operator_client, categories, rules, beijing, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        operator_client.post(DESK, form_data(categories))
    operator_client.logout()
    return Complaint.objects.get()


@pytest.mark.parametrize("who", [*OUTSIDERS, "anonymous"])
def test_everyone_outside_the_centre_gets_404_and_a_forged_form_saves_nothing(client, people, categories, filed, who):
    # Signed-out visitors are sent to sign in, as on every desk page; staff outside the centre get 404.
    refused = 302 if who == "anonymous" else 404
    if who != "anonymous":
        client.force_login(people[who])
    heating = article()
    for url in hotline_urls(filed.tracking_number):
        assert client.get(url).status_code == refused, url
    assert client.post(DESK, form_data(categories)).status_code == refused
    answer = {**form_data(categories, demand_type="consultation"), "answer_with": str(heating.pk)}
    assert client.post(DESK, answer).status_code == refused
    assert Complaint.objects.count() == 1
    assert not DirectAnswer.objects.exists()
    heating.refresh_from_db()
    assert heating.use_count == 0


@pytest.mark.parametrize("who", ["operator", "dispatcher"])
def test_operators_and_dispatchers_work_the_desk(client, people, operator, categories, filed, who):
    client.force_login(operator if who == "operator" else people[who])
    for url in hotline_urls(filed.tracking_number):
        assert client.get(url).status_code == 200, url


def test_an_operator_sees_only_the_filed_pages_of_their_own_calls(client, units, filed):
    from dispatch.models import Role
    from tests.factories import MembershipFactory

    colleague = UserFactory(username="operator2")
    MembershipFactory(user=colleague, unit=units["centre"], role=Role.OPERATOR)
    client.force_login(colleague)
    assert client.get(filed_url(filed.tracking_number)).status_code == 404
    assert client.get(filed_url("nonsense" * 10)).status_code == 404


def test_the_desk_links_show_for_the_centre_only(client, people, operator, beijing):
    client.force_login(operator)
    assert 'href="/desk/hotline/"' in client.get(reverse("dispatch:hotline")).content.decode()
    client.force_login(people["donghuamen_handler"])
    assert 'href="/desk/hotline/"' not in client.get(reverse("dispatch:home"), follow=True).content.decode()


def test_other_methods_are_refused(operator_client, beijing):
    assert operator_client.put(DESK).status_code == 405
    assert operator_client.post(reverse("dispatch:hotline_places")).status_code == 405


def test_a_dispatcher_can_open_the_orders_in_the_panel_an_operator_cannot(client, people, operator, filed):
    order = reverse("dispatch:order", args=[filed.tracking_number])
    client.force_login(people["dispatcher"])
    assert f'href="{order}"' in client.get(DESK + "?caller=13800138000").content.decode()
    client.force_login(operator)
    page = client.get(DESK + "?caller=13800138000").content.decode()
    assert filed.tracking_number in page
    assert f'href="{order}"' not in page
