"""Who may see which report: supervisors their subtree, the 12345 centre the whole
city, nobody else anything; a unit outside one's reach is refused, with nothing shown."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
LATER = T0 + timedelta(hours=30)
PAGES = ["report_index", "overdue", "report_rankings", "report_trends", "report_hotspots"]


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def chaoyang_order(submit):
    with time_machine.travel(T0, tick=False):
        return submit(region="jianwai")


def get(client, page, **params):
    with time_machine.travel(LATER, tick=False):
        return client.get(reverse(f"dispatch:{page}"), params)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who", ["donghuamen_handler", "market_handler", "nobody"])
def test_someone_who_supervises_nothing_gets_not_found(client, people, page, who):
    client.force_login(people[who])
    assert get(client, page).status_code == 404


@pytest.mark.parametrize("page", PAGES)
def test_signing_in_is_required(client, page):
    response = get(client, page)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who", ["dongcheng_supervisor", "city_supervisor", "dispatcher"])
def test_supervisors_and_the_12345_centre_see_every_report(client, people, page, who):
    client.force_login(people[who])
    assert get(client, page).status_code == 200


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("unit", ["chaoyang", "jianwai", "cy_market", "water", "city"])
def test_a_unit_outside_the_supervised_subtree_is_refused_and_nothing_shown(
    client, people, units, chaoyang_order, page, unit
):
    client.force_login(people["dongcheng_supervisor"])
    response = get(client, page, unit=units[unit].pk, month="2026-11", kind="street_office")
    html = response.content.decode()
    assert response.status_code == 403
    assert "That unit is not in the part of the city you supervise." in html
    assert "建外街道办事处" not in html and chaoyang_order.tracking_number not in html


@pytest.mark.parametrize("value", ["999999", "abc", "-1", "1 OR 1=1", "9" * 40])
def test_an_unknown_or_malformed_unit_gets_the_same_refusal(client, people, value):
    client.force_login(people["dongcheng_supervisor"])
    response = get(client, "report_rankings", unit=value)
    assert response.status_code == 403
    assert "not in the part of the city you supervise" in response.content.decode()


def test_narrowing_to_a_unit_inside_the_subtree_shows_only_that_subtree(client, people, units):
    client.force_login(people["dongcheng_supervisor"])
    response = get(client, "report_rankings", unit=units["donghuamen"].pk, kind="community", month="2026-11")
    assert response.status_code == 200
    assert [row.unit.code for row in response.context["page"].object_list] == ["c-110101001001", "c-110101001002"]
    assert "Only 东华门街道办事处 and the units under it." in response.content.decode()


def test_a_district_supervisors_rankings_leave_out_other_districts(client, people, chaoyang_order):
    client.force_login(people["dongcheng_supervisor"])
    response = get(client, "report_rankings", month="2026-11", kind="street_office")
    assert [row.unit.code for row in response.context["page"].object_list] == ["s-110101001", "s-110101002"]


def test_the_12345_centre_ranks_the_whole_city(client, people, chaoyang_order):
    client.force_login(people["dispatcher"])
    response = get(client, "report_rankings", month="2026-11", kind="street_office")
    rows = response.context["page"].object_list
    assert [row.unit.code for row in rows] == ["s-110105001", "s-110101001", "s-110101002"]
    assert rows[0].received == 1


def test_the_index_names_the_area_it_covers_and_links_the_four_reports(client, people):
    client.force_login(people["dongcheng_supervisor"])
    html = get(client, "report_index").content.decode()
    assert "东城区人民政府" in html
    for page in PAGES[1:]:
        assert f'href="{reverse(f"dispatch:{page}")}"' in html
    client.force_login(people["dispatcher"])
    assert "The whole city (12345 centre)." in get(client, "report_index").content.decode()


@pytest.mark.parametrize(
    ("who", "shown"), [("dongcheng_supervisor", True), ("dispatcher", True), ("donghuamen_handler", False)]
)
def test_the_desk_menu_offers_reports_to_those_who_have_them(client, people, who, shown):
    client.force_login(people[who])
    with time_machine.travel(LATER, tick=False):
        html = client.get(reverse("dispatch:home"), follow=True).content.decode()
    assert (f'href="{reverse("dispatch:report_index")}"' in html) is shown
