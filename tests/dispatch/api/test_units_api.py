"""The unit directory over the API: any staff member searches active units by
name or code, a page at a time; anyone without a membership gets 404. The desk's
chooser keeps its own rule (the 12345 centre only, the first twenty)."""

import pytest
from django.urls import reverse

from tests.factories import UnitFactory

UNITS = "/api/v1/units/"


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


@pytest.mark.parametrize("who", ["dispatcher", "donghuamen_handler", "market_handler", "chaoyang_supervisor"])
def test_any_staff_member_finds_units_by_name_or_code(api_as, people, units, who):
    client = api_as(people[who])
    assert codes(client.get(UNITS, {"q": "市场"})) == ["dep-110101-market", "dep-110105-market"]
    response = client.get(UNITS, {"q": "u-wat"})
    assert response.json()["results"] == [
        {
            "id": units["water"].pk,
            "code": "u-water",
            "name": "北京市自来水集团",
            "kind": "utility",
            "kind_label": "Utility",
        }
    ]


def test_without_q_every_active_unit_is_listed_in_tree_order(api_as, people, units):
    units["jianwai"].is_active = False
    units["jianwai"].save(update_fields=["is_active"])
    listed = codes(api_as(people["dispatcher"]).get(UNITS, {"page_size": 100}))
    assert "s-110105001" not in listed
    assert listed[0] == "bj" and len(listed) == len(units) - 1


def test_the_list_is_paginated(api_as, people, units):
    for n in range(30):
        UnitFactory(code=f"unit-test-{n:02d}", name=f"测试单位{n}", kind="community", parent=units["dongcheng"])
    client = api_as(people["donghuamen_handler"])
    first = client.get(UNITS, {"q": "测试单位", "page_size": 25}).json()
    second = client.get(first["next"]).json()
    assert (first["count"], len(first["results"]), len(second["results"]), second["next"]) == (30, 25, 5, None)
    assert client.get(UNITS, {"q": "测试单位", "page_size": 10**9}).json()["count"] == 30


@pytest.mark.parametrize("q", ["x" * 121, "\x00"])
def test_a_bad_query_is_a_field_error(api_as, people, units, q):
    response = api_as(people["dispatcher"]).get(UNITS, {"q": q})
    assert response.status_code == 400 and list(response.json()["fields"]) == ["q"]


def test_nothing_matching_is_an_empty_page(api_as, people, units):
    assert codes(api_as(people["dispatcher"]).get(UNITS, {"q": "没有这个单位"})) == []


def test_someone_without_a_membership_gets_404(api_as, people, units):
    response = api_as(people["nobody"]).get(UNITS, {"q": "街道"})
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_signing_in_is_required(api_as, units):
    assert api_as().get(UNITS).status_code == 401


def test_the_desk_chooser_stays_for_the_12345_centre(client, people, units):
    client.force_login(people["donghuamen_handler"])
    assert client.get(reverse("dispatch:unit_search"), {"q": "街道"}).status_code == 404
