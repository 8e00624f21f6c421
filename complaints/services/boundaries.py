"""Import place outlines (districts, and streets where someone has them) as
GeoJSON, so a map point can be given a place.

The file is read and every feature checked first, then written in one
transaction: a bad file changes nothing, and a re-run writes nothing new.
"""

import json
import math
from dataclasses import dataclass
from pathlib import Path

import shapely
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.errors import ShapelyError
from shapely.geometry import mapping, shape

from complaints.geo import cache
from complaints.geo.datum import geometry_gcj_to_wgs
from complaints.geo.fixture import DISTRICTS_FIXTURE, SOURCE
from complaints.models import Region, RegionBoundary, RegionLevel
from complaints.services.regions import ImportResult
from portal.errors import ActionRefused

DATUMS = ("wgs84", "gcj02")
OUTLINED_LEVELS = (RegionLevel.DISTRICT, RegionLevel.STREET)
WRITTEN_FIELDS = ("geometry", "min_lng", "min_lat", "max_lng", "max_lat", "source")


@dataclass(frozen=True)
class _Outline:
    region: Region
    geometry: dict
    bounds: tuple[float, float, float, float]


def boundaries_import_districts() -> ImportResult:
    """The shipped outlines of Beijing's 16 districts."""
    return boundaries_import_file(path=DISTRICTS_FIXTURE, level=RegionLevel.DISTRICT, source=SOURCE)


def boundaries_import_file(*, path: Path, level: str, datum: str = "wgs84", source: str = "") -> ImportResult:
    path = Path(path)
    try:
        collection = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError as error:
        raise ActionRefused(_("No such file: %(path)s") % {"path": path}) from error
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ActionRefused(
            _("%(file)s is not a GeoJSON file: %(error)s") % {"file": path.name, "error": error}
        ) from error
    return boundaries_import(collection=collection, level=level, datum=datum, source=source or path.name)


def boundaries_import(*, collection: dict, level: str, datum: str = "wgs84", source: str = "") -> ImportResult:
    """Create or replace the outlines of the regions a GeoJSON FeatureCollection names
    by their division code (feature property `code`). Refuses, writing nothing, an
    unknown code, a region of another level, a code given twice, or a geometry that
    is not a valid polygon."""
    if level not in OUTLINED_LEVELS:
        raise ActionRefused(_("Outlines are imported for districts or streets, not “%(level)s”.") % {"level": level})
    if datum not in DATUMS:
        raise ActionRefused(_("The datum is wgs84 or gcj02, not “%(datum)s”.") % {"datum": datum})
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise ActionRefused(_("The file is not a GeoJSON FeatureCollection."))
    features = collection.get("features")
    if not isinstance(features, list) or not features:
        raise ActionRefused(_("The FeatureCollection has no features."))
    outlines = _read(features=features, level=level, datum=datum)
    with transaction.atomic():
        result = _write(outlines=outlines, source=source[:200])
        # Now for this process, and again once committed, in case a lookup in between rebuilt from the old rows.
        cache.forget()
        transaction.on_commit(cache.forget)
    return result


def _read(*, features: list, level: str, datum: str) -> list[_Outline]:
    codes: list[str] = []
    seen: set[str] = set()
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        code = str((properties or {}).get("code", "")).strip()
        if not code:
            raise ActionRefused(_("Feature %(number)d has no “code” property.") % {"number": number})
        if code in seen:
            raise ActionRefused(
                _("Feature %(number)d: the code %(code)s is given twice.") % {"number": number, "code": code}
            )
        codes.append(code)
        seen.add(code)
    regions = {region.code: region for region in Region.objects.filter(code__in=codes)}
    outlines = []
    for number, (feature, code) in enumerate(zip(features, codes, strict=True), start=1):
        region = regions.get(code)
        if region is None:
            raise ActionRefused(
                _("Feature %(number)d: no place has the code %(code)s.") % {"number": number, "code": code}
            )
        if region.level != level:
            raise ActionRefused(
                _("Feature %(number)d: %(code)s %(name)s is a %(found)s, not a %(level)s.")
                % {
                    "number": number,
                    "code": code,
                    "name": region.name,
                    "found": RegionLevel(region.level).label,
                    "level": RegionLevel(level).label,
                }
            )
        geometry = _polygon(feature.get("geometry"), number=number, datum=datum)
        outlines.append(
            _Outline(region=region, geometry=json.loads(json.dumps(mapping(geometry))), bounds=geometry.bounds)
        )
    return outlines


def _polygon(geometry, *, number: int, datum: str):
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise ActionRefused(
            _("Feature %(number)d: the geometry is not a Polygon or MultiPolygon.") % {"number": number}
        )
    try:
        if datum == "gcj02":
            geometry = geometry_gcj_to_wgs(geometry)
        outline = shape(geometry)
    except (KeyError, IndexError, TypeError, ValueError, ShapelyError) as error:
        raise ActionRefused(
            _("Feature %(number)d: the geometry cannot be read: %(error)s") % {"number": number, "error": error}
        ) from error
    min_lng, min_lat, max_lng, max_lat = outline.bounds if not outline.is_empty else (math.nan,) * 4
    inside_earth = -180 <= min_lng <= max_lng <= 180 and -90 <= min_lat <= max_lat <= 90
    if outline.is_empty or not inside_earth or not outline.is_valid:
        reason = shapely.is_valid_reason(outline) if inside_earth else _("coordinates out of range")
        raise ActionRefused(
            _("Feature %(number)d: the outline is not a valid polygon (%(reason)s).")
            % {"number": number, "reason": reason}
        )
    return outline


def _write(*, outlines: list[_Outline], source: str) -> ImportResult:
    existing = {b.region_id: b for b in RegionBoundary.objects.filter(region__in=[o.region for o in outlines])}
    now = timezone.now()
    to_create, to_update = [], []
    for outline in outlines:
        min_lng, min_lat, max_lng, max_lat = outline.bounds
        values = dict(zip(WRITTEN_FIELDS, (outline.geometry, min_lng, min_lat, max_lng, max_lat, source), strict=True))
        boundary = existing.get(outline.region.pk)
        if boundary is None:
            to_create.append(RegionBoundary(region=outline.region, imported_at=now, **values))
        elif any(getattr(boundary, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(boundary, field, value)
            boundary.imported_at = now
            to_update.append(boundary)
    RegionBoundary.objects.bulk_create(to_create)
    RegionBoundary.objects.bulk_update(to_update, [*WRITTEN_FIELDS, "imported_at"])
    return ImportResult(
        created=len(to_create), updated=len(to_update), unchanged=len(outlines) - len(to_create) - len(to_update)
    )
