"""The month's counts, as plain dicts in the Django cache: numbers and stored names,
never rendered words, so one entry serves every language, the city and each district."""

from datetime import datetime

from django.core.cache import cache
from django.db.models import Count
from django.db.models.functions import Coalesce

from dispatch.models import Assignment, AssignmentRole, Unit, UnitKind
from dispatch.reports.periods import Month
from dispatch.reports.public.rows import FIGURES
from dispatch.reports.rankings import unit_rankings
from dispatch.reports.scope import public_scope

CACHE_SECONDS = 300  # the issue: "at most 5 minutes stale"
CACHE_KEY = "transparency:v1:{month}"


def month_figures(*, month: Month, now: datetime) -> dict:
    """The cached counts of the month (plain dicts), computed when missing or stale."""
    key = CACHE_KEY.format(month=month)
    data = cache.get(key)
    if data is None:
        data = _compute(month=month, now=now)
        cache.set(key, data, CACHE_SECONDS)
    return data


def _compute(*, month: Month, now: datetime) -> dict:
    district_units = list(
        Unit.objects.filter(kind=UnitKind.DISTRICT, is_active=True, region__isnull=False)
        .select_related("region")
        .order_by("region__code")
    )
    rankings = unit_rankings(scope=public_scope(), kind=UnitKind.STREET_OFFICE, month=month, now=now)
    # The rankings' units come without their places: one query for every street's code and name.
    places = {
        pk: (code, name)
        for pk, code, name in Unit.objects.filter(kind=UnitKind.STREET_OFFICE, region__isnull=False)
        .order_by()
        .values_list("pk", "region__code", "region__name")
    }
    streets = []
    district_of_parent = {}  # a street's parent unit → the district code its figures go to
    for row in rankings:
        district = _district_of(row.unit, district_units)
        district_of_parent[row.unit.parent_id] = district.region.code if district else None
        code, name = places.get(row.unit.pk, (row.unit.code, row.unit.name))
        streets.append(
            {
                "code": code,
                "name": name,
                "district": district.region.code if district else None,
                "rank": row.rank,
                **{field: getattr(row, field) for field in FIGURES},
            }
        )
    districts = []
    for unit in district_units:
        mine = [s for s in streets if s["district"] == unit.region.code]
        districts.append(
            {
                "code": unit.region.code,
                "name": unit.region.name,
                "streets": len(mine),
                **{field: sum(s[field] for s in mine) for field in FIGURES},
            }
        )
    return {
        "computed_at": now,
        "districts": districts,
        "streets": streets,
        "categories": _category_counts(month=month, district_of_parent=district_of_parent),
    }


def _district_of(unit: Unit, district_units: list[Unit]) -> Unit | None:
    return next((d for d in district_units if unit.path.startswith(d.path)), None)


def _category_counts(*, month: Month, district_of_parent: dict) -> list[dict]:
    """Orders the street offices received in the month per district and top-level
    category: the same orders as the streets' "received", one GROUP BY (by the
    streets' parent units, so a few rows per district, not per street)."""
    rows = (
        Assignment.objects.filter(
            role=AssignmentRole.LEAD,
            assigned_at__gte=month.start,
            assigned_at__lt=month.end,
            unit__kind=UnitKind.STREET_OFFICE,
            unit__is_active=True,
        )
        .order_by()
        .values(
            "unit__parent_id",
            key=Coalesce("complaint__category__parent_id", "complaint__category_id"),
            name=Coalesce("complaint__category__parent__name", "complaint__category__name"),
            name_en=Coalesce("complaint__category__parent__name_en", "complaint__category__name_en"),
        )
        .annotate(received=Count("pk"))
    )
    return [
        {
            "district": district_of_parent.get(row["unit__parent_id"]),
            "key": row["key"],
            "name": row["name"],
            "name_en": row["name_en"] or "",
            "received": row["received"],
        }
        for row in rows
    ]
