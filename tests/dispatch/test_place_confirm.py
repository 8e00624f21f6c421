"""An order placed only as far as its district waits in triage with "place to
confirm"; the 12345 centre confirms the street or community and it is routed."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from complaints.geo import place_for
from complaints.models import Complaint
from complaints.timeline import STAFF, event_text
from dispatch.models import Assignment, TriageItem, TriageReason
from dispatch.services.place_confirm import complaint_confirm_place
from dispatch.services.routing import complaint_route
from dispatch.services.triage import triage_dispatch
from portal.errors import ActionRefused, ChangedBySomeoneElse, NotAllowed
from tests import geo_places
from tests.factories import RoutingRuleFactory

beijing_outlines = geo_places.beijing_outlines


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def unplaced(submit):
    """Construction noise somewhere in 东城区: the portal could not tell the street."""
    return submit(
        region="dongcheng", place_to_confirm=True, address="东城区某胡同", latitude=39.9072, longitude=116.3908
    )


def confirm(people, complaint, code, who="dispatcher", version=None, **extra):
    return complaint_confirm_place(
        user=people[who],
        complaint_id=complaint.pk,
        region_code=code,
        version=complaint.version if version is None else version,
        **extra,
    )


def snapshot(complaint):
    complaint = Complaint.objects.get(pk=complaint.pk)
    return (
        complaint.region_id,
        complaint.place_to_confirm,
        complaint.version,
        complaint.status,
        complaint.events.count(),
        list(TriageItem.objects.filter(complaint=complaint).values_list("reason", "closed_at")),
        Assignment.objects.filter(complaint=complaint).count(),
    )


def lead(complaint):
    return Assignment.objects.select_related("unit").get(complaint=complaint)


def test_routing_sends_an_order_whose_place_is_to_confirm_to_triage(unplaced):
    assert unplaced.status == "submitted"
    item = TriageItem.objects.get(complaint=unplaced, closed_at__isnull=True)
    assert item.reason == TriageReason.PLACE_TO_CONFIRM
    assert not Assignment.objects.filter(complaint=unplaced).exists()
    triaged = unplaced.events.get(kind="triaged")
    assert triaged.data == {"reason": "place", "fact": "triage_place", "by": "centre"}
    assert complaint_route(complaint_id=unplaced.pk) == "in_triage"  # a second run changes nothing


def test_a_rule_for_the_district_does_not_route_an_order_whose_place_is_to_confirm(submit, categories, units):
    RoutingRuleFactory(
        name="市场→区", category=categories["market"], target_kind="fixed", target_unit=units["dc_market"]
    )
    complaint = submit(category="market_food", region="dongcheng", place_to_confirm=True)
    assert TriageItem.objects.get(complaint=complaint).reason == TriageReason.PLACE_TO_CONFIRM


def test_confirming_a_street_routes_the_order_to_its_street_office(people, unplaced, beijing, units):
    complaint = confirm(people, unplaced, "110101001")
    assert complaint.region == beijing["donghuamen"]
    assert complaint.place_to_confirm is False
    assert complaint.status == "assigned"
    assert complaint.version > unplaced.version
    assert lead(complaint).unit == units["donghuamen"]
    item = TriageItem.objects.get(complaint=complaint)
    assert item.closed_at is not None and item.closed_by == people["dispatcher"]
    note = complaint.events.get(kind="note")
    assert not note.is_public
    assert note.actor == people["dispatcher"]
    assert note.data == {"old": "110101", "new": "110101001", "fact": "place", "by": "centre"}
    with translation.override("en"):
        assert event_text(note, audience=STAFF) == "Place confirmed: 东华门街道 (was 东城区)."


def test_confirming_a_community_routes_to_the_street_office_of_its_street(people, unplaced, beijing, units):
    complaint = confirm(people, unplaced, " 110101002001 ")
    assert complaint.region == beijing["longfusi"]
    assert lead(complaint).unit == units["jingshan"]


def test_a_place_in_another_district_needs_the_centre_to_say_the_district_was_wrong(people, unplaced, units):
    before = snapshot(unplaced)
    with pytest.raises(ActionRefused, match="建外街道 is not in 东城区") as refused:
        confirm(people, unplaced, "110105001")
    assert refused.value.field == "region"
    assert snapshot(unplaced) == before
    complaint = confirm(people, unplaced, "110105001", other_district=True)
    assert lead(complaint).unit == units["jianwai"]


def test_with_no_rule_for_the_confirmed_place_the_order_stays_in_triage_as_unrouted(people, submit):
    complaint = submit(category="other_misc", region="dongcheng", place_to_confirm=True)
    complaint = confirm(people, complaint, "110101001")
    assert (complaint.status, complaint.place_to_confirm) == ("submitted", False)
    items = TriageItem.objects.filter(complaint=complaint)
    assert {(i.reason, i.closed_at is None) for i in items} == {("place", False), ("no_rule", True)}


def test_an_order_a_unit_already_holds_keeps_its_unit_when_its_place_is_confirmed(people, unplaced, units):
    triage_dispatch(user=people["dispatcher"], complaint_id=unplaced.pk, unit_id=units["jingshan"].pk)
    unplaced.refresh_from_db()
    complaint = confirm(people, unplaced, "110101001")
    assert complaint.place_to_confirm is False
    assert lead(complaint).unit == units["jingshan"]


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("110101", "Choose a street or a community; 东城区 is a District"),
        ("11", "Choose a street or a community"),
        ("110101999", "No place has the code “110101999”"),
        ("", "No place has the code"),
        ("东华门街道", "No place has the code"),
    ],
    ids=["a-district", "the-city", "unknown", "empty", "a-name"],
)
def test_a_place_that_is_no_street_or_community_is_refused_and_nothing_changes(people, unplaced, code, message):
    before = snapshot(unplaced)
    with pytest.raises(ActionRefused, match=message):
        confirm(people, unplaced, code)
    assert snapshot(unplaced) == before


def test_a_stale_version_is_refused_and_nothing_changes(people, unplaced):
    before = snapshot(unplaced)
    with pytest.raises(ChangedBySomeoneElse):
        confirm(people, unplaced, "110101001", version=unplaced.version - 1 or 99)
    assert snapshot(unplaced) == before


def test_an_order_whose_place_is_confirmed_already_is_refused(people, unplaced):
    complaint = confirm(people, unplaced, "110101001")
    with pytest.raises(ActionRefused, match="already confirmed"):
        confirm(people, complaint, "110101002")


@pytest.mark.parametrize("who", ["donghuamen_handler", "dongcheng_supervisor", "city_supervisor", "nobody"])
def test_only_the_12345_centre_confirms_a_place(people, unplaced, who):
    before = snapshot(unplaced)
    with pytest.raises(NotAllowed):
        confirm(people, unplaced, "110101001", who=who)
    assert snapshot(unplaced) == before


# The pages.


def order_url(complaint):
    return reverse("dispatch:order", args=[complaint.tracking_number])


def place_url(complaint):
    return reverse("dispatch:confirm_place", args=[complaint.tracking_number])


def test_the_triage_page_shows_the_place_to_confirm_badge(client, people, unplaced, submit):
    plain = submit(category="other_misc")
    client.force_login(people["dispatcher"])
    html = client.get(reverse("dispatch:triage")).content.decode()
    assert html.count("flag-place") == 1
    row = html[html.index(unplaced.tracking_number) :]
    assert "place to confirm" in row[: row.index("</tr>")]
    assert plain.tracking_number in html


def test_the_dispatcher_confirms_the_place_on_the_order_page_and_the_order_is_routed(client, people, unplaced, units):
    client.force_login(people["dispatcher"])
    html = client.get(order_url(unplaced)).content.decode()
    assert "flag-place" in html
    assert f'action="{place_url(unplaced)}"' in html
    assert '<option value="110101001">东华门街道</option>' in html
    assert "110105001" not in html.split('id="place-confirm"')[1].split("</section>")[0].replace(
        'placeholder="110105001"', ""
    )
    response = client.post(place_url(unplaced), {"version": unplaced.version, "region": "110101001", "elsewhere": ""})
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Place confirmed: 东华门街道; the order is with 东华门街道办事处."
    ]
    assert lead(unplaced).unit == units["donghuamen"]
    assert "flag-place" not in client.get(order_url(unplaced)).content.decode()


def test_the_page_takes_a_code_elsewhere_when_the_district_was_wrong(client, people, unplaced, units):
    client.force_login(people["dispatcher"])
    client.post(place_url(unplaced), {"version": unplaced.version, "region": "110101001", "elsewhere": "110105001"})
    assert lead(unplaced).unit == units["jianwai"]


def test_the_page_refuses_a_stale_form_and_changes_nothing(client, people, unplaced):
    client.force_login(people["dispatcher"])
    before = snapshot(unplaced)
    response = client.post(place_url(unplaced), {"version": unplaced.version + 5, "region": "110101001"})
    assert "changed by someone else" in str(list(get_messages(response.wsgi_request))[0])
    response = client.post(place_url(unplaced), {"region": "110101001"})
    assert "changed by someone else" in str(list(get_messages(response.wsgi_request))[0])
    assert snapshot(unplaced) == before


def test_the_page_refuses_a_choice_not_in_the_list_and_changes_nothing(client, people, unplaced):
    client.force_login(people["dispatcher"])
    before = snapshot(unplaced)
    response = client.post(place_url(unplaced), {"version": unplaced.version, "region": "110105001"})
    assert response.status_code == 302
    assert "110105001" in str(list(get_messages(response.wsgi_request))[0])
    assert snapshot(unplaced) == before


def test_a_handler_who_cannot_see_the_order_gets_not_found(client, people, unplaced):
    client.force_login(people["donghuamen_handler"])
    before = snapshot(unplaced)
    assert client.post(place_url(unplaced), {"version": unplaced.version, "region": "110101001"}).status_code == 404
    assert snapshot(unplaced) == before


def test_a_handler_who_holds_the_order_is_refused_and_sees_no_form(client, people, unplaced, units):
    triage_dispatch(user=people["dispatcher"], complaint_id=unplaced.pk, unit_id=units["donghuamen"].pk)
    client.force_login(people["donghuamen_handler"])
    html = client.get(order_url(unplaced)).content.decode()
    assert "flag-place" in html  # the flag, for whoever reads the order
    assert place_url(unplaced) not in html
    before = snapshot(unplaced)
    response = client.post(place_url(unplaced), {"version": unplaced.version + 1, "region": "110101001"})
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Only the 12345 centre can confirm an order's place."
    ]
    assert snapshot(unplaced) == before


@pytest.mark.parametrize("who", ["dongcheng_supervisor", "city_supervisor"])
def test_a_supervisor_cannot_confirm_a_place(client, people, unplaced, units, who):
    triage_dispatch(user=people["dispatcher"], complaint_id=unplaced.pk, unit_id=units["donghuamen"].pk)
    client.force_login(people[who])
    before = snapshot(unplaced)
    response = client.post(place_url(unplaced), {"version": unplaced.version + 1, "region": "110101001"})
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert "Only the 12345 centre" in str(list(get_messages(response.wsgi_request))[0])
    assert snapshot(unplaced) == before


def test_anonymous_is_sent_to_sign_in_and_nothing_changes(client, unplaced):
    before = snapshot(unplaced)
    response = client.post(place_url(unplaced), {"version": unplaced.version, "region": "110101001"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert snapshot(unplaced) == before


def test_the_page_only_accepts_post(client, people, unplaced):
    client.force_login(people["dispatcher"])
    assert client.get(place_url(unplaced)).status_code == 405


def test_a_map_point_with_no_street_in_its_address_ends_with_the_right_street_office(
    beijing_outlines, client, people, submit, units
):
    """Tiananmen's point gives 东城区 only; the centre confirms 东华门街道 and its office gets the order."""
    match = place_for(latitude=39.9072, longitude=116.3908, address="天安门城楼东侧")
    assert (match.region.code, match.confirmed) == ("110101", False)
    complaint = submit(region="dongcheng", place_to_confirm=not match.confirmed, latitude=39.9072, longitude=116.3908)
    assert TriageItem.objects.get(complaint=complaint).reason == TriageReason.PLACE_TO_CONFIRM
    client.force_login(people["dispatcher"])
    client.post(place_url(complaint), {"version": complaint.version, "region": "110101001"})
    assert lead(complaint).unit == units["donghuamen"]
    assert place_for(latitude=39.9999, longitude=116.2755).outside  # 海淀区 has no outline in this small fixture
