"""The intake map's two endpoints: which place a point is in, and a place's outline."""

import pytest
from django.urls import reverse

from tests import geo_places

beijing_outlines = geo_places.beijing_outlines

IN_DONGCHENG = {"lat": "39.9163", "lng": "116.3972"}  # the Forbidden City
IN_CHAOYANG = {"lat": "39.9087", "lng": "116.4560"}  # 建国门外
IN_SHANGHAI = {"lat": "31.2304", "lng": "121.4737"}


def locate(client, params):
    return client.get(reverse("complaints:place_locate"), params, HTTP_ACCEPT_LANGUAGE="en")


def test_a_point_in_dongcheng_gives_its_district_code(client, beijing_outlines, django_assert_max_num_queries):
    locate(client, IN_CHAOYANG)  # the outline index is built once per process
    with django_assert_max_num_queries(0):
        response = locate(client, IN_DONGCHENG)
    assert response.status_code == 200
    data = response.json()
    assert data == {
        "inside": True,
        "district": "110101",
        "district_name": "东城区",
        "street": None,
        "community": None,
    }
    assert "max-age" in response["Cache-Control"]


def test_a_point_in_chaoyang_gives_chaoyang(client, beijing_outlines):
    assert locate(client, IN_CHAOYANG).json()["district"] == "110105"


def test_a_point_outside_beijing_says_so_and_gives_no_code(client, beijing_outlines):
    response = locate(client, IN_SHANGHAI)
    assert response.status_code == 200
    data = response.json()
    assert data["inside"] is False
    assert "outside Beijing" in data["message"]
    assert "district" not in data


def test_without_outlines_the_map_says_it_cannot_place_the_point(client, beijing):
    data = locate(client, IN_DONGCHENG).json()
    assert data["inside"] is False and "cannot place" in data["message"]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"lat": "39.9"},
        {"lat": "abc", "lng": "116.4"},
        {"lat": "nan", "lng": "116.4"},
        {"lat": "inf", "lng": "116.4"},
        {"lat": "91", "lng": "116.4"},
        {"lat": "39.9", "lng": "-181"},
        {"lat": "1e400", "lng": "116.4"},
    ],
)
def test_bad_points_get_a_400_with_field_errors(client, beijing_outlines, params):
    response = locate(client, params)
    assert response.status_code == 400
    data = response.json()
    assert data["error"] and data["errors"]
    assert set(data["errors"]) <= {"lat", "lng"}


def test_a_nul_in_a_point_is_refused_before_the_view(client, beijing_outlines):
    # The portal's NUL-refusing middleware answers first; still a 400, never a 500.
    assert locate(client, {"lat": "39.9\x00", "lng": "116.4"}).status_code == 400


def test_locate_answers_only_get(client, beijing_outlines):
    assert client.post(reverse("complaints:place_locate"), IN_DONGCHENG).status_code == 405


def test_the_city_outline_is_every_district_simplified(client, beijing_outlines):
    response = client.get(reverse("complaints:place_outline", args=["11"]))
    assert response.status_code == 200
    data = response.json()
    assert data["type"] == "FeatureCollection"
    assert sorted(f["properties"]["code"] for f in data["features"]) == ["110101", "110105"]
    assert len(response.content) < len(str(beijing_outlines).encode())
    assert "max-age" in response["Cache-Control"]


def test_a_street_or_community_gets_its_districts_outline(client, beijing_outlines):
    for code in ("110101", "110101001", "110101001001"):
        data = client.get(reverse("complaints:place_outline", args=[code])).json()
        assert [f["properties"]["code"] for f in data["features"]] == ["110101"]
        assert data["features"][0]["geometry"]["type"] in ("Polygon", "MultiPolygon")


@pytest.mark.parametrize("code", ["110102", "999999", "abc", "1101010010010010"])
def test_a_place_without_an_outline_is_a_404_json(client, beijing_outlines, code):
    response = client.get(reverse("complaints:place_outline", args=[code]))
    assert response.status_code == 404
    assert response.json()["error"]
