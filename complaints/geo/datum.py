"""GCJ-02 ↔ WGS-84.

Maps published in China (AMap, Tencent) are in GCJ-02, an obfuscated datum that
shifts points by some hundreds of metres; GPS and browsers give WGS-84. Outlines
are stored in WGS-84, so only the import converts, with prcoords' iterative
inverse (better than a millimetre, far below the outlines' own accuracy).
"""

import prcoords


def wgs_to_gcj(*, longitude: float, latitude: float) -> tuple[float, float]:
    gcj = prcoords.wgs_gcj((latitude, longitude), check_china=False)
    return gcj.lon, gcj.lat


def gcj_to_wgs(*, longitude: float, latitude: float) -> tuple[float, float]:
    wgs = prcoords.gcj_wgs_bored((latitude, longitude), check_china=False)
    return wgs.lon, wgs.lat


def geometry_gcj_to_wgs(geometry: dict) -> dict:
    """A GeoJSON Polygon or MultiPolygon (longitude first) moved from GCJ-02 to WGS-84."""
    kind = geometry["type"]
    if kind == "Polygon":
        return {"type": kind, "coordinates": [_ring(ring) for ring in geometry["coordinates"]]}
    if kind == "MultiPolygon":
        return {"type": kind, "coordinates": [[_ring(ring) for ring in poly] for poly in geometry["coordinates"]]}
    raise ValueError(kind)


def _ring(ring: list) -> list:
    return [list(gcj_to_wgs(longitude=point[0], latitude=point[1])) for point in ring]
