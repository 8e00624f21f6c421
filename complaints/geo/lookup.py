"""A point and an address become a place.

The point gives the district (and the street, where street outlines exist) by
the outlines; the address text then gives the street and the community where it
names one, but only inside what the point gave: a pin is where the resident
stood, a name in the text may be anywhere. A name that could mean several places
is no match at all, so a guess never routes an order to the wrong street.
"""

from dataclasses import dataclass
from decimal import Decimal

from complaints.geo.cache import indexes
from complaints.geo.names import NameIndex
from complaints.models import Region, RegionLevel


@dataclass(frozen=True)
class PlaceMatch:
    # The most specific place found: community > street > district; None = outside Beijing or unknown.
    region: Region | None
    district: Region | None
    # A street or community was found with certainty; False when only the district is known.
    confirmed: bool
    point_outside: bool = False

    @property
    def outside(self) -> bool:
        """A point was given and it lies in no known district outline."""
        return self.point_outside


NOWHERE = PlaceMatch(region=None, district=None, confirmed=False)


def place_for(
    *,
    latitude: Decimal | float | None = None,
    longitude: Decimal | float | None = None,
    address: str = "",
) -> PlaceMatch:
    outlines, names = indexes()
    district = street = None
    if latitude is not None and longitude is not None:
        lat, lng = float(latitude), float(longitude)
        if outlines.has(RegionLevel.DISTRICT):
            hit = outlines.hit(level=RegionLevel.DISTRICT, longitude=lng, latitude=lat)
            if hit is None:
                return PlaceMatch(region=None, district=None, confirmed=False, point_outside=True)
            district = names.region(hit.code)
        if outlines.has(RegionLevel.STREET):
            hit = outlines.hit(level=RegionLevel.STREET, longitude=lng, latitude=lat)
            if hit is not None and not hit.near_edge:
                street = _inside(names.region(hit.code), district)
    matches = names.named_in(address or "")
    if district is None and street is None:
        district = _named(matches, level=RegionLevel.DISTRICT, within=None)
    if street is None:
        street = _named(matches, level=RegionLevel.STREET, within=district)
    community = _named(matches, level=RegionLevel.COMMUNITY, within=street or district)
    return _match(names=names, district=district, street=street, community=community)


def _inside(region: Region | None, scope: Region | None) -> Region | None:
    if region is None or scope is None or scope.contains(region):
        return region
    return None


def _named(matches: list[tuple[str, list[Region]]], *, level: str, within: Region | None) -> Region | None:
    for _name, regions in matches:
        candidates = {r.pk: r for r in regions if r.level == level and (within is None or within.contains(r))}
        if len(candidates) == 1:
            return next(iter(candidates.values()))
    return None


def _match(*, names: NameIndex, district, street, community) -> PlaceMatch:
    if community is not None and street is None:
        street = names.region(community.street_code)
    if street is not None and district is None:
        district = names.region(street.district_code)
    region = community or street or district
    if region is None:
        return NOWHERE
    return PlaceMatch(region=region, district=district, confirmed=street is not None or community is not None)
