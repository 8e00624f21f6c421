"""A point and an address become a place: the district from the outlines, the
street and community from the address text, never a guess."""

from decimal import Decimal

import pytest
from django.utils import timezone

from complaints.geo import cache, place_for
from complaints.models import RegionBoundary
from complaints.services.boundaries import boundaries_import, boundaries_import_districts
from tests import geo_places

beijing_places_once, places = geo_places.beijing_places_once, geo_places.places

# WGS-84 (longitude, latitude) as Wikipedia gives them.
TIANANMEN = (116.3908, 39.9072)  # 东城区 东华门街道
CCTV_HEADQUARTERS = (116.4636, 39.9150)  # 朝阳区
LAMA_TEMPLE = (116.4109, 39.9470)  # 东城区
SUMMER_PALACE = (116.2755, 39.9999)  # 海淀区
PEOPLES_SQUARE_SHANGHAI = (121.4737, 31.2304)
TIANJIN = (117.1901, 39.1255)
BOHAI_SEA = (119.5, 38.9)


def at(point, address=""):
    longitude, latitude = point
    return place_for(latitude=latitude, longitude=longitude, address=address)


@pytest.mark.parametrize(
    ("point", "code"),
    [(TIANANMEN, "110101"), (LAMA_TEMPLE, "110101"), (CCTV_HEADQUARTERS, "110105"), (SUMMER_PALACE, "110108")],
    ids=["tiananmen", "lama-temple", "cctv", "summer-palace"],
)
def test_a_point_alone_gives_its_district_unconfirmed(places, point, code):
    match = at(point)
    assert match.district.code == code
    assert match.region == match.district
    assert match.confirmed is False
    assert match.outside is False


@pytest.mark.parametrize("point", [PEOPLES_SQUARE_SHANGHAI, TIANJIN, BOHAI_SEA], ids=["shanghai", "tianjin", "sea"])
def test_a_point_outside_beijing_is_outside_with_no_place(places, point):
    match = at(point, address="东城区东华门街道")
    assert match.outside is True
    assert match.region is None and match.district is None and match.confirmed is False


def test_decimal_coordinates_as_the_model_stores_them_work_too(places):
    match = place_for(latitude=Decimal("39.907200"), longitude=Decimal("116.390800"))
    assert match.district.code == "110101"


def test_a_street_named_in_the_address_inside_the_points_district_is_confirmed(places):
    match = at(TIANANMEN, address="北京市东城区东华门街道天安门广场")
    assert match.region.code == "110101001"
    assert match.district.code == "110101"
    assert match.confirmed is True


def test_a_community_named_in_the_address_gives_community_street_and_district(places):
    match = at(TIANANMEN, address="东华门街道多福巷社区 12 号")
    assert match.region.code == "110101001001"
    assert match.region.name == "多福巷社区居委会"
    assert match.district.code == "110101"
    assert match.confirmed is True


def test_a_street_of_another_district_in_the_address_is_ignored_for_the_points_district(places):
    match = at(TIANANMEN, address="朝阳区建外街道")
    assert match.region.code == "110101"
    assert match.confirmed is False


def test_a_community_name_two_districts_share_is_no_match_without_a_point(places):
    # 小黄庄社区 is in 东城区 (安定门街道) and in 朝阳区.
    match = place_for(address="小黄庄社区 3 号楼")
    assert match.region is None
    assert match.confirmed is False
    assert match.outside is False


def test_the_points_district_settles_a_community_name_two_districts_share(places):
    match = at(LAMA_TEMPLE, address="小黄庄社区 3 号楼")
    assert match.region.code == "110101010017"
    assert match.confirmed is True


def test_the_longest_name_wins_and_a_name_inside_it_is_not_read(places):
    # 双花园社区 is in 朝阳区; 花园社区, inside its name, is a community of 东城区.
    assert place_for(address="双花园社区").region.code == "110105016062"
    match = at(TIANANMEN, address="双花园社区")
    assert match.region.code == "110101"
    assert match.confirmed is False


def test_an_address_alone_may_give_district_street_and_community(places):
    assert place_for(address="北京市海淀区某某路").region.code == "110108"
    assert place_for(address="北京市海淀区某某路").confirmed is False
    assert place_for(address="建外街道永安里").region.code == "110105001"
    assert place_for(address="东城区银闸社区").region.code == "110101001002"


def test_a_community_of_another_district_than_the_address_names_is_no_match(places):
    match = place_for(address="朝阳区多福巷社区")
    assert match.region.code == "110105"
    assert match.confirmed is False


def test_nothing_given_gives_nothing(places):
    match = place_for()
    assert (match.region, match.district, match.confirmed, match.outside) == (None, None, False, False)


def test_a_point_is_not_outside_when_no_outlines_are_imported(places):
    RegionBoundary.objects.all().delete()
    match = at(PEOPLES_SQUARE_SHANGHAI, address="东城区")
    assert match.outside is False
    assert match.region.code == "110101"


def test_a_street_outline_places_a_point_in_its_street_with_certainty(places):
    boundaries_import(
        collection={
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"code": "110101001"},
                    "geometry": {
                        "type": "Polygon",
                        "coordinates": [
                            [[116.38, 39.90], [116.40, 39.90], [116.40, 39.92], [116.38, 39.92], [116.38, 39.90]]
                        ],
                    },
                }
            ],
        },
        level="street",
    )
    match = at(TIANANMEN)
    assert match.region.code == "110101001"
    assert match.district.code == "110101"
    assert match.confirmed is True
    assert at(LAMA_TEMPLE).region.code == "110101"


def test_a_warm_lookup_runs_no_query_and_a_cold_one_a_fixed_few(places, django_assert_num_queries):
    cache.forget()
    with django_assert_num_queries(4):  # the signature (2), every outline, every region
        at(TIANANMEN)
    with django_assert_num_queries(0):
        at(CCTV_HEADQUARTERS, address="北京市朝阳区建外街道永安里")
        at(TIANANMEN, address="东华门街道多福巷社区")
        place_for(address="小黄庄社区")
        at(BOHAI_SEA)


def test_an_import_by_another_process_is_noticed_by_the_signature(places, django_assert_num_queries, monkeypatch):
    monkeypatch.setattr(cache, "SIGNATURE_CHECK_SECONDS", 0)
    at(TIANANMEN)
    with django_assert_num_queries(2):  # the signature only: nothing changed
        at(TIANANMEN)
    # A queryset update sends no signal, as if another process had imported.
    RegionBoundary.objects.filter(region__code="110101").update(imported_at=timezone.now() + timezone.timedelta(1))
    with django_assert_num_queries(4):
        at(TIANANMEN)


def test_a_reimport_in_this_process_rebuilds_the_index(places, django_assert_num_queries):
    at(TIANANMEN)
    RegionBoundary.objects.all().delete()
    assert at(TIANANMEN).outside is False  # no outlines: nothing known
    boundaries_import_districts()
    assert at(BOHAI_SEA).outside is True
    assert at(TIANANMEN).district.code == "110101"


def test_a_matched_places_street_and_district_are_read_without_a_query(places, django_assert_num_queries):
    match = at(TIANANMEN, address="多福巷社区")
    with django_assert_num_queries(0):
        assert match.region.parent.name == "东华门街道"
        assert match.region.parent.parent.name == "东城区"
