"""Place pickers name the place (多福巷社区), not the committee that runs it
(多福巷社区居委会), which the division tables give and which stays the unit's name."""

import re

import pytest
from django.urls import reverse

from complaints.models import RegionLevel
from complaints.selectors.reference import place_name
from tests.factories import RegionFactory

COMMITTEES = [
    ("多福巷社区居委会", "多福巷社区"),
    ("大北家园社区居民委员会", "大北家园社区"),
    ("芍药居五社区居民居委会", "芍药居五社区"),
    ("四道口居民委员会", "四道口社区"),
    ("六铺炕南小街居委会", "六铺炕南小街社区"),
    ("楼梓庄村委会", "楼梓庄村"),
    ("三间房东村村委会", "三间房东村"),
    ("季庄村民委员会", "季庄村"),
    ("怡然家园社区", "怡然家园社区"),
    ("万柳（集团）股份经济合作社六郎庄生活区", "万柳（集团）股份经济合作社六郎庄生活区"),
    ("居委会", "居委会"),
]


@pytest.mark.parametrize(("committee", "place"), COMMITTEES)
def test_a_community_is_named_as_a_place(db, committee, place):
    assert place_name(region=RegionFactory.build(name=committee, level=RegionLevel.COMMUNITY)) == place


def test_streets_and_districts_keep_their_names(db):
    # A street's own name already names the place; only communities carry a committee's.
    assert place_name(region=RegionFactory.build(name="东华门街道", level=RegionLevel.STREET)) == "东华门街道"
    assert place_name(region=RegionFactory.build(name="某某委员会", level=RegionLevel.DISTRICT)) == "某某委员会"


@pytest.fixture
def committees(beijing):
    """The real tables' names for 东华门街道's communities."""
    for key, name in (("duofuxiang", "多福巷社区居委会"), ("yinzha", "银闸社区居委会")):
        region = beijing[key]
        region.name = name
        region.save(update_fields=["name"])
    return beijing


def test_the_places_endpoint_names_the_communities(client, committees):
    response = client.get(reverse("complaints:places", args=["110101001"]))

    assert response.json()["children"] == [
        {"code": "110101001001", "name": "多福巷社区"},
        {"code": "110101001002", "name": "银闸社区"},
    ]


def test_the_form_lists_the_communities_by_place(client, committees, categories):
    data = {"district": "110101", "street": "110101001", "community": "110101001001", "refresh_places": "1"}
    html = client.post(reverse("complaints:file"), data).content.decode()

    communities = re.search(r'<select name="community".*?</select>', html, re.S).group(0)
    assert '<option value="110101001001" selected>多福巷社区</option>' in communities
    assert "居委会" not in communities


def test_the_reference_api_names_the_place(client, committees):
    listed = client.get(reverse("complaints_api:places"), {"parent": "110101001"}).json()
    detail = client.get(reverse("complaints_api:place", args=["110101001001"])).json()

    assert [place["name"] for place in listed["results"]] == ["多福巷社区", "银闸社区"]
    assert detail["name"] == "多福巷社区"
    assert [place["name"] for place in detail["path"]] == ["东城区", "东华门街道"]
