"""Outlines for the maps: the in-memory outlines (no query), simplified for drawing.

A map only needs the shape a person recognises, so each district is simplified to
about 50 m: Beijing's sixteen districts then weigh some tens of kilobytes instead
of the lookup's full detail. Outlines are WGS-84, like the points on the map.
"""

from functools import lru_cache

from complaints.geo.cache import indexes
from complaints.models import RegionLevel

DRAW_TOLERANCE = 0.0005
# Five decimals of a degree is about a metre: plenty for a drawn line.
DRAW_GRID = 0.00001


def outlines_for(*, code: str) -> dict | None:
    """A FeatureCollection: every district for the city (or a code shorter than a
    district's), else the outline of the district the place lies in. None when
    that district has no outline."""
    outlines, _names = indexes()
    codes = outlines.codes.get(RegionLevel.DISTRICT, [])
    geometries = outlines.geometries.get(RegionLevel.DISTRICT, [])
    wanted = code[:6] if len(code) >= 6 else None
    features = [
        {"type": "Feature", "properties": {"code": district}, "geometry": _drawn(geometry)}
        for district, geometry in zip(codes, geometries, strict=True)
        if wanted is None or district == wanted
    ]
    if wanted is not None and not features:
        return None
    return {"type": "FeatureCollection", "features": features}


def _drawn(geometry) -> dict:
    import shapely  # loaded with the outlines (complaints.geo.outlines)

    return _simplified(shapely.to_wkb(geometry))


@lru_cache(maxsize=64)
def _simplified(wkb: bytes) -> dict:
    # Keyed by the geometry's bytes, so a re-imported outline is simplified afresh.
    import shapely
    from shapely.geometry import mapping

    geometry = shapely.from_wkb(wkb)
    simple = shapely.set_precision(shapely.simplify(geometry, DRAW_TOLERANCE, preserve_topology=True), DRAW_GRID)
    return mapping(simple)
