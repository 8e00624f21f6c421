"""The city's or one district's figures for a month, from the cached counts."""

from datetime import datetime

from django.utils import timezone

from dispatch.reports.periods import Month
from dispatch.reports.public.counts import month_figures
from dispatch.reports.public.rows import FIGURES, CategoryRow, DistrictRow, Figures, StreetRow, TransparencyReport
from portal.errors import NotFound

TOP_CATEGORIES = 5
MONTHS_BACK = 12  # complete months offered besides the current one


def available_months(*, now: datetime) -> list[Month]:
    """The current month and the MONTHS_BACK complete months before it, newest first."""
    months = [Month.containing(now)]
    for _ in range(MONTHS_BACK):
        months.append(months[-1].previous)
    return months


def transparency_report(
    *, month: Month, district_code: str | None = None, now: datetime | None = None
) -> TransparencyReport:
    """The month's figures for the city, or for one district (by its division code).
    An unknown district raises NotFound."""
    data = month_figures(month=month, now=now or timezone.now())
    districts = [_district(row) for row in data["districts"]]
    streets = [_street(row) for row in data["streets"]]
    if not district_code:
        return TransparencyReport(
            month=month,
            computed_at=data["computed_at"],
            district=None,
            districts=districts,
            streets=streets,
            categories=_top(data["categories"]),
            total=sum((d.figures for d in districts), Figures()) + _orphans(streets, districts),
        )
    district = next((d for d in districts if d.code == district_code), None)
    if district is None:
        raise NotFound
    return TransparencyReport(
        month=month,
        computed_at=data["computed_at"],
        district=district,
        districts=districts,
        streets=[s for s in streets if s.district_code == district.code],
        categories=_top([c for c in data["categories"] if c["district"] == district.code]),
        total=district.figures,
    )


def _top(rows: list[dict]) -> list[CategoryRow]:
    totals: dict[int, CategoryRow] = {}
    for row in rows:
        seen = totals.get(row["key"])
        count = row["received"] + (seen.received if seen else 0)
        totals[row["key"]] = CategoryRow(key=row["key"], name=row["name"], name_en=row["name_en"], received=count)
    ranked = sorted(totals.values(), key=lambda c: (-c.received, c.name))
    return ranked[:TOP_CATEGORIES]


def _orphans(streets: list[StreetRow], districts: list[DistrictRow]) -> Figures:
    """Street offices under no district unit still count for the city."""
    known = {d.code for d in districts}
    return sum((s.figures for s in streets if s.district_code not in known), Figures())


def _figures(row: dict) -> Figures:
    return Figures(**{field: row[field] for field in FIGURES})


def _district(row: dict) -> DistrictRow:
    return DistrictRow(code=row["code"], name=row["name"], streets=row["streets"], figures=_figures(row))


def _street(row: dict) -> StreetRow:
    return StreetRow(
        code=row["code"], name=row["name"], district_code=row["district"], rank=row["rank"], figures=_figures(row)
    )
