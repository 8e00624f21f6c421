"""The 12345 centre's triage queue and dispatching by hand from the order page."""

import json

import pytest
from django.urls import reverse

from dispatch.models import TriageItem
from tests.factories import UnitFactory

TRIAGE = reverse("dispatch:triage")


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def unrouted(submit):
    """A complaint in `other`, which no rule routes: it waits in triage."""
    return submit(category="other_misc")


@pytest.fixture
def dispatcher_client(client, people):
    client.force_login(people["dispatcher"])
    return client


def dispatch_url(complaint):
    return reverse("dispatch:dispatch_to", args=[complaint.tracking_number])


def test_unrouted_complaint_waits_in_triage(dispatcher_client, unrouted, submit):
    routed = submit()
    response = dispatcher_client.get(TRIAGE)
    html = response.content.decode()
    assert response.status_code == 200
    assert [item.complaint_id for item in response.context["page"]] == [unrouted.pk]
    assert "No routing rule matched" in html
    assert reverse("dispatch:order", args=[unrouted.tracking_number]) in html
    assert routed.tracking_number not in html


def test_triage_lists_the_oldest_first(dispatcher_client, submit):
    first, second = submit(category="other_misc"), submit(category="other_misc")
    response = dispatcher_client.get(TRIAGE)
    assert [item.complaint_id for item in response.context["page"]] == [first.pk, second.pk]


def test_order_page_offers_the_dispatcher_the_usual_units(dispatcher_client, unrouted, units):
    response = dispatcher_client.get(reverse("dispatch:order", args=[unrouted.tracking_number]))
    suggested = {unit.code for unit in response.context["suggestions"]}
    assert suggested == {"s-110101001", "dep-110101-market", "u-water"}
    assert response.context["dispatch_form"]["version"].value() == unrouted.version
    html = response.content.decode()
    assert 'list="unit-suggestions"' in html
    assert '<option value="东华门街道办事处">s-110101001</option>' in html  # names are offered, codes beside them


def test_dispatching_by_code_assigns_and_empties_triage(dispatcher_client, client, unrouted, people, units):
    response = dispatcher_client.post(
        dispatch_url(unrouted), {"unit": "s-110101001", "version": unrouted.version, "note": "属街道管辖"}, follow=True
    )
    assert "Dispatched to 东华门街道办事处." in response.content.decode()
    unrouted.refresh_from_db()
    assert unrouted.status == "assigned"
    assignment = unrouted.assignments.get()
    assert (assignment.unit, assignment.reason) == (units["donghuamen"], "dispatched")
    assert not TriageItem.objects.filter(complaint=unrouted, closed_at__isnull=True).exists()
    assert unrouted.tracking_number not in dispatcher_client.get(TRIAGE).content.decode()

    client.force_login(people["donghuamen_handler"])
    queue = client.get(reverse("dispatch:queue", args=[units["donghuamen"].pk]))
    assert [a.complaint_id for a in queue.context["page"]] == [unrouted.pk]


def test_dispatching_by_unit_id_works_too(dispatcher_client, unrouted, units):
    dispatcher_client.post(dispatch_url(unrouted), {"unit": str(units["water"].pk), "version": unrouted.version})
    assert unrouted.assignments.get().unit == units["water"]


def test_unknown_unit_code_is_refused(dispatcher_client, unrouted):
    response = dispatcher_client.post(
        dispatch_url(unrouted), {"unit": "no-such-unit", "version": unrouted.version}, follow=True
    )
    assert "No active unit has the code, number or name “no-such-unit”." in response.content.decode()
    unrouted.refresh_from_db()
    assert unrouted.status == "submitted"
    assert not unrouted.assignments.exists()
    assert TriageItem.objects.filter(complaint=unrouted, closed_at__isnull=True).exists()


def test_dispatch_with_a_stale_version_is_refused(dispatcher_client, unrouted):
    response = dispatcher_client.post(
        dispatch_url(unrouted), {"unit": "s-110101001", "version": unrouted.version + 1}, follow=True
    )
    assert "This order was changed by someone else." in response.content.decode()
    assert not unrouted.assignments.exists()


def test_non_dispatcher_cannot_see_triage(client, people):
    for who in ("donghuamen_handler", "dongcheng_supervisor", "city_supervisor", "nobody"):
        client.force_login(people[who])
        assert client.get(TRIAGE).status_code == 404


def test_non_dispatcher_cannot_dispatch(client, submit, people, units):
    complaint = submit()  # routed to 东华门; its handler can see the order but not dispatch it
    client.force_login(people["donghuamen_handler"])
    response = client.post(dispatch_url(complaint), {"unit": "u-water", "version": complaint.version}, follow=True)
    assert "Only the 12345 centre can dispatch orders by hand." in response.content.decode()
    assert complaint.assignments.get().unit == units["donghuamen"]
    assert "dispatch_form" not in response.context


def test_non_dispatcher_who_cannot_see_the_order_gets_not_found(client, unrouted, people):
    client.force_login(people["donghuamen_handler"])
    response = client.post(dispatch_url(unrouted), {"unit": "s-110101001", "version": unrouted.version})
    assert response.status_code == 404
    assert not unrouted.assignments.exists()


def test_unit_search_finds_units_by_name_or_code(dispatcher_client, units):
    by_name = json.loads(dispatcher_client.get(reverse("dispatch:unit_search"), {"q": "市场"}).content)
    assert {row["code"] for row in by_name["results"]} == {"dep-110101-market", "dep-110105-market"}
    by_code = json.loads(dispatcher_client.get(reverse("dispatch:unit_search"), {"q": "u-wat"}).content)
    assert by_code["results"] == [
        {"id": units["water"].pk, "code": "u-water", "name": "北京市自来水集团", "kind": "Utility"}
    ]
    assert json.loads(dispatcher_client.get(reverse("dispatch:unit_search")).content) == {"results": []}


def test_unit_search_is_for_dispatchers_only(client, people):
    client.force_login(people["donghuamen_handler"])
    assert client.get(reverse("dispatch:unit_search"), {"q": "街道"}).status_code == 404


def test_unit_search_returns_at_most_twenty_active_units(dispatcher_client, units):
    for n in range(25):
        UnitFactory(
            code=f"unit-test-{n:02d}",
            name=f"测试单位{n}",
            kind="community",
            parent=units["dongcheng"],
            is_active=n != 0,
        )
    results = json.loads(dispatcher_client.get(reverse("dispatch:unit_search"), {"q": "测试单位"}).content)["results"]
    assert len(results) == 20
    assert "unit-test-00" not in {row["code"] for row in results}  # inactive units are not offered


def test_dispatching_by_unit_name_works(dispatcher_client, unrouted, units):
    response = dispatcher_client.post(
        dispatch_url(unrouted), {"unit": " 北京市自来水集团 ", "version": unrouted.version}, follow=True
    )
    assert "Dispatched to 北京市自来水集团." in response.content.decode()
    assert unrouted.assignments.get().unit == units["water"]


def test_a_name_two_units_share_is_refused_with_their_codes(dispatcher_client, unrouted, units):
    UnitFactory(
        code="u-water-2", name="北京市自来水集团", kind="utility", department_kind="heating", parent=units["city"]
    )

    response = dispatcher_client.post(
        dispatch_url(unrouted), {"unit": "北京市自来水集团", "version": unrouted.version}, follow=True
    )

    html = response.content.decode()
    assert "More than one unit is called “北京市自来水集团”: give its code instead" in html
    assert "u-water (北京市人民政府); u-water-2 (北京市人民政府)" in html
    unrouted.refresh_from_db()
    assert unrouted.status == "submitted" and not unrouted.assignments.exists()
