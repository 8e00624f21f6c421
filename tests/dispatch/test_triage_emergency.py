"""An order whose resident wrote an emergency word waits first in the 12345
centre's triage, on the page and over the API, with the words highlighted and
everything the resident typed escaped."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from dispatch.models import TriageItem
from dispatch.services.returns import assignment_return
from dispatch.services.triage import triage_dispatch
from portal.api.tokens import token_issue

TRIAGE = reverse("dispatch:triage")
TRIAGE_API = "/api/v1/triage/"
FIRE = "三楼着火了，有人被困"


@pytest.fixture(autouse=True)
def _default_words(settings):
    from portal import settings as portal_settings

    settings.WHISTLE_EMERGENCY_WORDS = list(portal_settings.WHISTLE_EMERGENCY_WORDS)


@pytest.fixture
def dispatcher_client(client, people):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(people["dispatcher"])
    return client


def api_as(user) -> APIClient:
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(username=user.username)}")
    return api


def test_an_emergency_goes_to_triage_even_where_a_rule_would_route_it(submit, units):
    complaint = submit(description=FIRE)  # construction noise: the noise rule would send it to 东华门
    assert not complaint.assignments.exists()
    item = TriageItem.objects.get(complaint=complaint)
    assert item.get_reason_display() == "Emergency words"
    event = complaint.events.filter(kind="triaged").get()
    assert (event.data["reason"], event.data["fact"]) == ("emergency", "triage_emergency")


def test_an_emergency_is_listed_before_older_orders(dispatcher_client, submit):
    older = submit(category="other_misc")
    fire = submit(category="other_misc", description=FIRE)
    newer = submit(category="other_misc")
    page = dispatcher_client.get(TRIAGE).context["page"]
    assert [item.complaint_id for item in page] == [fire.pk, older.pk, newer.pk]


def test_a_returned_emergency_still_comes_first(dispatcher_client, submit, people, units):
    older = submit(category="other_misc")
    fire = submit(description=FIRE)
    triage_dispatch(user=people["dispatcher"], complaint_id=fire.pk, unit_id=units["donghuamen"].pk)
    assignment_return(
        user=people["donghuamen_handler"],
        assignment_id=fire.assignments.get().pk,
        reason="not_our_remit",
        note="不归我们管",
    )
    page = dispatcher_client.get(TRIAGE).context["page"]
    assert [item.complaint_id for item in page] == [fire.pk, older.pk]


def test_the_triage_page_highlights_the_words(dispatcher_client, submit):
    submit(category="other_misc", description=FIRE)
    html = dispatcher_client.get(TRIAGE).content.decode()
    assert "三楼<mark>着火</mark>了，有人<mark>被困</mark>" in html
    assert "Emergency words:" in html


def test_the_residents_text_is_escaped_around_the_marks(dispatcher_client, submit, settings):
    settings.WHISTLE_EMERGENCY_WORDS = ["fire", "<b>"]
    submit(category="other_misc", description="<script>alert(1)</script> FIRE <b>")
    html = dispatcher_client.get(TRIAGE).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>FIRE</mark> <mark>&lt;b&gt;</mark>" in html


def test_an_ordinary_order_shows_no_marks(dispatcher_client, submit):
    submit(category="other_misc")
    assert "<mark>" not in dispatcher_client.get(TRIAGE).content.decode()


def test_the_api_lists_emergencies_first_with_their_words(submit, people):
    older = submit(category="other_misc")
    fire = submit(category="other_misc", description=FIRE)
    response = api_as(people["dispatcher"]).get(TRIAGE_API)
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert [row["tracking_number"] for row in rows] == [fire.tracking_number, older.tracking_number]
    assert (rows[0]["emergency_words"], rows[0]["priority"], rows[0]["reason"]) == (
        ["着火", "被困"],
        "urgent",
        "emergency",
    )
    assert rows[1]["emergency_words"] == []


@pytest.mark.parametrize("who", ["donghuamen_handler", "dongcheng_supervisor", "nobody"])
def test_no_one_but_the_centre_sees_the_emergencies(client, submit, people, who):
    fire = submit(category="other_misc", description=FIRE)
    assert api_as(people[who]).get(TRIAGE_API).status_code == 404
    client.force_login(people[who])
    response = client.get(TRIAGE)
    assert response.status_code in (403, 404)
    assert fire.tracking_number not in response.content.decode()


def test_a_new_category_with_reroute_leaves_an_emergency_for_the_centre(submit, people, categories):
    from dispatch.services.triage import triage_recategorise

    fire = submit(category="other_misc", description=FIRE)
    result = triage_recategorise(
        user=people["dispatcher"],
        complaint_id=fire.pk,
        category_id=categories["noise_construction"].pk,
        version=fire.version,
        reroute=True,
    )
    assert (result.assignment, result.in_triage) == (None, True)
    assert result.complaint.category == categories["noise_construction"]
    assert TriageItem.objects.filter(complaint=fire, closed_at__isnull=True, reason="emergency").exists()
    assert not fire.assignments.exists()
