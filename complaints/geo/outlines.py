"""The place outlines in memory: shapely geometries in an STRtree, so a point is
placed without a spatial database and without a query."""

from dataclasses import dataclass

from complaints.models import RegionBoundary, RegionLevel

# A point this close to an outline (degrees; about 100 m) but in none is in the
# sliver between two simplified outlines, or just over the city's edge: it
# belongs to the nearest district, unconfirmed.
NEAR_EDGE = 0.001


@dataclass(frozen=True)
class OutlineHit:
    code: str
    near_edge: bool = False


class OutlineIndex:
    def __init__(self, rows: list[tuple[str, str, dict]]):
        # shapely (and numpy under it) costs a process some 26 MB: imported when the
        # outlines are first needed, not by every worker that only files and lists.
        import shapely
        from shapely.geometry import shape
        from shapely.strtree import STRtree

        self.codes: dict[str, list[str]] = {RegionLevel.DISTRICT: [], RegionLevel.STREET: []}
        geometries: dict[str, list] = {RegionLevel.DISTRICT: [], RegionLevel.STREET: []}
        for code, level, geometry in rows:
            if level not in geometries:
                continue
            outline = shape(geometry)
            shapely.prepare(outline)
            geometries[level].append(outline)
            self.codes[level].append(code)
        self.geometries = geometries
        self.trees = {level: STRtree(g) for level, g in geometries.items() if g}

    @classmethod
    def load(cls) -> "OutlineIndex":
        return cls(list(RegionBoundary.objects.values_list("region__code", "region__level", "geometry")))

    def has(self, level: str) -> bool:
        return level in self.trees

    def hit(self, *, level: str, longitude: float, latitude: float) -> OutlineHit | None:
        tree = self.trees.get(level)
        if tree is None:
            return None
        import shapely

        point = shapely.Point(longitude, latitude)
        inside = tree.query(point, predicate="intersects")
        if len(inside) == 1:
            return OutlineHit(code=self.codes[level][inside[0]])
        if len(inside) > 1:
            # Overlapping slivers along a shared edge: the outline the point is deepest in.
            deepest = max(inside, key=lambda i: self.geometries[level][i].boundary.distance(point))
            return OutlineHit(code=self.codes[level][deepest])
        nearest = tree.query_nearest(point, max_distance=NEAR_EDGE)
        if len(nearest):
            return OutlineHit(code=self.codes[level][nearest[0]], near_edge=True)
        return None
