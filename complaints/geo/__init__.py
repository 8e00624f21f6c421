"""Where a complaint is: a WGS-84 point and an address become a district, a
street and a community of the division tree (see `lookup`)."""

from complaints.geo.lookup import PlaceMatch, place_for

__all__ = ["PlaceMatch", "place_for"]
