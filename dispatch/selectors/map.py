"""Reads for the staff maps: open orders near an order, a supervisor's open orders,
and the month's new complaints counted on a grid. Each answers only what the user
may see, and only points, tracking numbers, categories and urgency: no resident's
personal data goes on a map."""

import math
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce, Round, Substr

from complaints.models import Complaint, Region, RegionLevel
from complaints.selectors.duplicates import METRES_PER_DEGREE, haversine_m
from complaints.selectors.labels import in_reader_language
from dispatch.access import reach_of, subtree_q
from dispatch.models import ACTIVE_STATUSES, Assignment, AssignmentRole
from dispatch.reports.periods import Month
from dispatch.reports.scope import ReportScope
from dispatch.selectors.desk import with_urgency

NEAR_RADIUS_M = 1000
NEAR_LIMIT = 50
# The bounding box lets through at most this many rows before the exact distance.
NEAR_PREFILTER = 2000
MAP_LIMIT = 5000
# Heat cells are 1/200 of a degree (about 500 m by 430 m in Beijing): a city's month
# is some thousands of cells, whatever the number of complaints.
HEAT_CELLS_PER_DEGREE = 200
POINT_FIELDS = ("complaint__tracking_number", "complaint__latitude", "complaint__longitude", "urgency")


@dataclass(frozen=True)
class MapPoint:
    tracking_number: str
    category: str
    urgency: str  # "overdue", "due_soon" or "on_time"
    latitude: float
    longitude: float
    distance_m: int | None = None


def open_orders_near(*, user, complaint: Complaint, radius_m: int = NEAR_RADIUS_M, now: datetime) -> list[MapPoint]:
    """Open orders the user may see pinned within `radius_m` of the complaint's pin,
    nearest first, at most NEAR_LIMIT; none when the complaint has no pin."""
    if complaint.latitude is None or complaint.longitude is None:
        return []
    lat, lng = float(complaint.latitude), float(complaint.longitude)
    dlat = radius_m / METRES_PER_DEGREE
    dlng = radius_m / (METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    rows = (
        _open_leads(_visible_q(user))
        .exclude(complaint_id=complaint.pk)
        .filter(
            complaint__latitude__gte=_deg(lat - dlat),
            complaint__latitude__lte=_deg(lat + dlat),
            complaint__longitude__gte=_deg(lng - dlng),
            complaint__longitude__lte=_deg(lng + dlng),
        )
    )
    points = []
    for point in _points(with_urgency(rows, now=now)[:NEAR_PREFILTER]):
        distance = haversine_m((lat, lng), (point.latitude, point.longitude))
        if distance <= radius_m:
            points.append(MapPoint(**{**point.__dict__, "distance_m": round(distance)}))
    return sorted(points, key=lambda p: p.distance_m)[:NEAR_LIMIT]


def open_orders_map(*, scope: ReportScope, category_id: int | None, now: datetime) -> tuple[list[MapPoint], bool]:
    """The scope's pinned open orders, most urgent first, and whether MAP_LIMIT cut the list."""
    rows = with_urgency(_category(_open_leads(scope.q()), category_id), now=now).order_by(
        F("next_due").asc(nulls_last=True), "pk"
    )
    points = _points(rows[: MAP_LIMIT + 1])
    return points[:MAP_LIMIT], len(points) > MAP_LIMIT


def open_orders_by_street(*, scope: ReportScope, category_id: int | None, now: datetime) -> list[dict]:
    """Open orders per street (pinned or not), with how many are overdue: the map's table."""
    rows = (
        _category(
            Assignment.objects.filter(scope.q(), role=AssignmentRole.LEAD, status__in=ACTIVE_STATUSES), category_id
        )
        .annotate(street_code=Substr("complaint__region__code", 1, 9))
        .values("street_code")
        .annotate(total=Count("pk"), overdue=Count("pk", filter=Q(next_due__lt=now)))
        .order_by("-total", "street_code")
    )
    rows = list(rows)
    names = dict(
        Region.objects.filter(code__in=[r["street_code"] for r in rows], level=RegionLevel.STREET).values_list(
            "code", "name"
        )
    )
    return [{**row, "name": names.get(row["street_code"], "")} for row in rows]


def heat_cells(*, scope: ReportScope, category_id: int | None, month: Month) -> list[tuple[float, float, int]]:
    """(latitude, longitude, count) per grid cell of the month's new pinned complaints
    in the scope: distinct complaints that got a lead assignment there in the month."""
    rows = (
        _category(
            Assignment.objects.filter(
                scope.q(),
                role=AssignmentRole.LEAD,
                assigned_at__gte=month.start,
                assigned_at__lt=month.end,
                complaint__latitude__isnull=False,
                complaint__longitude__isnull=False,
            ),
            category_id,
        )
        .annotate(
            cell_lat=Round(F("complaint__latitude") * HEAT_CELLS_PER_DEGREE),
            cell_lng=Round(F("complaint__longitude") * HEAT_CELLS_PER_DEGREE),
        )
        .values("cell_lat", "cell_lng")
        .annotate(n=Count("complaint_id", distinct=True))
        .order_by("cell_lat", "cell_lng")
    )
    step = HEAT_CELLS_PER_DEGREE
    return [(round(float(r["cell_lat"]) / step, 4), round(float(r["cell_lng"]) / step, 4), r["n"]) for r in rows]


def _visible_q(user) -> Q:
    """The orders `order_get_for` lets the user open: held by or accountable to one
    of their handler units, in a supervised subtree, or anything for the centre."""
    reach = reach_of(user)
    if reach.is_dispatcher:
        return Q()
    ids = reach.handler_unit_ids
    return Q(unit_id__in=ids) | Q(holder_id__in=ids) | subtree_q(reach.supervised_paths)


def _open_leads(q: Q) -> QuerySet[Assignment]:
    """Pinned open orders, one row per complaint: its live lead assignment, matched
    directly or through any live assignment (a summons) that `q` allows."""
    reachable = Assignment.objects.filter(q, status__in=ACTIVE_STATUSES).values("complaint_id")
    return Assignment.objects.filter(
        role=AssignmentRole.LEAD,
        status__in=ACTIVE_STATUSES,
        complaint_id__in=reachable,
        complaint__latitude__isnull=False,
        complaint__longitude__isnull=False,
    )


def _category(rows: QuerySet[Assignment], category_id: int | None) -> QuerySet[Assignment]:
    if category_id is None:
        return rows
    return rows.annotate(group_id=Coalesce("complaint__category__parent_id", "complaint__category_id")).filter(
        group_id=category_id
    )


def _points(rows: QuerySet[Assignment]) -> list[MapPoint]:
    values = rows.values(*POINT_FIELDS, "complaint__category__name", "complaint__category__name_en")
    return [
        MapPoint(
            tracking_number=row["complaint__tracking_number"],
            category=in_reader_language(row["complaint__category__name"], row["complaint__category__name_en"]),
            urgency=row["urgency"] or "on_time",
            latitude=float(row["complaint__latitude"]),
            longitude=float(row["complaint__longitude"]),
        )
        for row in values
    ]


def _deg(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")
