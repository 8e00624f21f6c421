"""Finding a street or community of Beijing by typing part of its name (the hotline
desk's place box): prefix matches before substring matches, streets and
communities with their path, bounded, one query, bad input refused cleanly."""

import pytest
from django.core.exceptions import ValidationError

from complaints.models import RegionLevel
from complaints.selectors.place_search import beijing_place, place_resolve, place_search
from complaints.services.regions import BEIJING_DATA_DIR, regions_import
from tests.factories import RegionFactory


@pytest.fixture
def shanghai(beijing):
    city = RegionFactory(code="31", name="上海市", level=RegionLevel.CITY)
    district = RegionFactory(code="310101", name="黄浦区", level=RegionLevel.DISTRICT, parent=city)
    return RegionFactory(code="310101002", name="东华门街道", level=RegionLevel.STREET, parent=district)


def test_prefix_matches_come_before_substring_matches(beijing):
    RegionFactory(code="110101002002", name="小东华门社区", level=RegionLevel.COMMUNITY, parent=beijing["jingshan"])
    hits = place_search(query="东华门")
    assert [hit.code for hit in hits] == ["110101001", "110101002002"]
    assert hits[0].path == "东城区 › 东华门街道"
    assert hits[1].path == "东城区 › 景山街道 › 小东华门社区"


def test_communities_and_streets_are_found_with_their_district_street_community_path(beijing):
    [hit] = place_search(query="多福")
    assert (hit.code, hit.name, hit.level) == ("110101001001", "多福巷社区", RegionLevel.COMMUNITY)
    assert hit.path == "东城区 › 东华门街道 › 多福巷社区"


def test_districts_and_places_outside_beijing_are_not_offered(beijing, shanghai):
    assert place_search(query="东城") == []
    assert [hit.code for hit in place_search(query="东华门")] == ["110101001"]
    assert beijing_place(code=shanghai.code) is None
    assert beijing_place(code="110101") is None
    assert beijing_place(code="110101001").name == "东华门街道"


def test_the_list_is_limited_and_costs_one_query(beijing, django_assert_num_queries):
    for n in range(20):
        RegionFactory(
            code=f"1101010011{n:02d}", name=f"银河{n}社区", level=RegionLevel.COMMUNITY, parent=beijing["donghuamen"]
        )
    with django_assert_num_queries(1):
        hits = place_search(query="银河")
    assert len(hits) == 15
    assert len(place_search(query="银河", limit=5)) == 5


@pytest.mark.parametrize("query", ["", "   ", None, 12])
def test_an_empty_query_finds_nothing(beijing, query):
    assert place_search(query=query) == []


@pytest.mark.parametrize(("query", "code"), [("多\x00福", "nul"), ("东" * 61, "too_long")])
def test_nul_and_overlong_input_are_refused_with_a_message(beijing, query, code):
    with pytest.raises(ValidationError) as caught:
        place_search(query=query)
    assert caught.value.code == code
    assert caught.value.messages[0]


def test_a_typed_name_or_path_resolves_to_the_place_it_names(beijing):
    RegionFactory(code="110105001001", name="多福巷社区居委会", level=RegionLevel.COMMUNITY, parent=beijing["jianwai"])
    assert [r.code for r in place_resolve(text="东华门街道")] == ["110101001"]
    # Two streets have a community of that name: both are offered.
    assert [r.code for r in place_resolve(text="多福巷社区")] == ["110101001001", "110105001001"]
    assert [r.code for r in place_resolve(text="朝阳区 › 建外街道 › 多福巷社区")] == ["110105001001"]
    assert [r.code for r in place_resolve(text="东华门街道 › 多福巷社区")] == ["110101001001"]
    assert place_resolve(text="多福") == []
    assert place_resolve(text="景山街道 › 多福巷社区") == []


def test_the_shipped_division_list_is_searched_by_prefix_then_substring(db, django_assert_num_queries):
    regions_import(source_dir=BEIJING_DATA_DIR)
    with django_assert_num_queries(1):
        hits = place_search(query="东华门")
    assert hits[0].path == "东城区 › 东华门街道"
    assert all("东华门" in hit.name for hit in hits)
    prefixed = [hit.name.startswith("东华门") for hit in hits]
    assert prefixed == sorted(prefixed, reverse=True)
    assert len(place_search(query="村")) == 15
