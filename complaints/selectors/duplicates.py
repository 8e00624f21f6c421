"""Possible duplicates of a complaint: open orders of the same category filed near
it in place and time. Staff doors (dispatch) decide who may see them."""

import math
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import Q, QuerySet

from complaints.models import Complaint, ComplaintEvent, ComplaintStatus, EventKind, RegionLevel

S = ComplaintStatus
# Not a possible lead: nothing more will happen on these.
FINISHED = (S.CLOSED, S.REJECTED, S.MERGED)
EARTH_RADIUS_M = 6_371_000
METRES_PER_DEGREE = 111_320
# The lead's lines a follower's resident does not see: the lead resident's own
# verdict and comment, and the unit's note of how it reached that resident.
NOT_FOR_FOLLOWERS = (EventKind.RATED, EventKind.CONTACTED)


@dataclass(frozen=True)
class Candidate:
    complaint: Complaint
    distance_m: int | None  # None: matched by community or street, not by pin


def duplicate_candidates(*, complaint: Complaint) -> list[Candidate]:
    """Open complaints of the same category filed within the category's window
    before or after this one, and near it: within the radius when both carry a
    pin, else in the same community (or the same street when both give only a
    street). One query; the exact distance is computed on the few rows a
    bounding box lets through. Nearest first, then oldest."""
    category = complaint.category
    radius = category.effective_duplicate_radius_m()
    window = timedelta(hours=category.effective_duplicate_window_hours())
    rows = (
        Complaint.objects.filter(
            category_id=complaint.category_id,
            submitted_at__gte=complaint.submitted_at - window,
            submitted_at__lte=complaint.submitted_at + window,
        )
        .exclude(status__in=FINISHED)
        .exclude(pk=complaint.pk)
        .filter(_near(complaint=complaint, radius_m=radius))
        .select_related("region")
        .order_by("submitted_at", "pk")
    )
    pinned = _pin(complaint)
    candidates = []
    for row in rows:
        other = _pin(row)
        if pinned and other:
            distance = haversine_m(pinned, other)
            if distance > radius:
                continue
            candidates.append(Candidate(row, round(distance)))
        else:
            candidates.append(Candidate(row, None))
    return sorted(candidates, key=lambda c: (c.distance_m is None, c.distance_m or 0))


def followers_of(*, complaint: Complaint) -> QuerySet[Complaint]:
    return complaint.followers.select_related("region").order_by("submitted_at", "pk")


def lead_timeline(*, lead: Complaint) -> QuerySet[ComplaintEvent]:
    """What a follower's resident sees of the lead: its public lines, less those
    about the lead's own resident."""
    return lead.events.filter(is_public=True).exclude(kind__in=NOT_FOR_FOLLOWERS).order_by("created_at", "id")


def haversine_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lng1, lat2, lng2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def _pin(complaint: Complaint) -> tuple[float, float] | None:
    if complaint.latitude is None or complaint.longitude is None:
        return None
    return float(complaint.latitude), float(complaint.longitude)


def _near(*, complaint: Complaint, radius_m: int) -> Q:
    """SQL prefilter: a pinned row inside the bounding box, or (when a pin is
    missing on either side) a row in the same place."""
    same_place = _same_place(complaint=complaint)
    pin = _pin(complaint)
    if pin is None:
        return same_place
    lat, lng = pin
    dlat = radius_m / METRES_PER_DEGREE
    # Near the poles a degree of longitude shrinks to nothing; Beijing is far from them.
    dlng = radius_m / (METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    box = Q(
        latitude__gte=_deg(lat - dlat),
        latitude__lte=_deg(lat + dlat),
        longitude__gte=_deg(lng - dlng),
        longitude__lte=_deg(lng + dlng),
    )
    unpinned = Q(latitude__isnull=True) | Q(longitude__isnull=True)
    return box | (unpinned & same_place)


def _same_place(*, complaint: Complaint) -> Q:
    # The place is a community, or a street when the resident knew no community;
    # either way "the same region" is the rule, and nothing coarser than a street.
    if complaint.region.level not in (RegionLevel.COMMUNITY, RegionLevel.STREET):
        return Q(pk__in=[])
    return Q(region_id=complaint.region_id)


def _deg(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")
