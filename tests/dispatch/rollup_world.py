"""A varied city for the rollup's tests, drawn from a seed: orders over three months
and the first days of a fourth, with late and missed contacts, re-dispatches,
returns, reopens rated again, whistle summonses, extensions approved and refused,
and orders held by communities; and every report of every scope, to compare."""

import random
from dataclasses import fields
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from complaints.models import Channel, Complaint, DemandType, Rating, Satisfaction
from dispatch.models import (
    Assignment,
    AssignmentReason,
    AssignmentRole,
    AssignmentStatus,
    Extension,
    ExtensionStatus,
    UnitKind,
)
from dispatch.reports.breakdown import received_breakdown
from dispatch.reports.hotspots import hot_spots
from dispatch.reports.periods import Month
from dispatch.reports.rankings import RANKED_KINDS, unit_rankings
from dispatch.reports.scope import ReportScope
from dispatch.reports.trends import BY_DAY, BY_WEEK, trend_rows
from tests.factories import ComplaintFactory

BJ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 2, 15, tzinfo=BJ)
FIRST = datetime(2026, 9, 1, tzinfo=BJ)
MONTHS = (Month(2026, 9), Month(2026, 10), Month(2026, 11), Month(2026, 12))
LEAD_UNITS = ("donghuamen", "jingshan", "jianwai", "dc_market", "cy_market", "water", "duofuxiang", "yinzha")
PLACES = ("duofuxiang", "yinzha", "longfusi", "jianwai", "donghuamen", "dongcheng")
CATEGORIES = ("noise_construction", "noise_neighbour", "market_food", "water_outage", "other_misc")


def build_world(*, seed: int, units, categories, beijing, orders: int = 90) -> None:
    rng = random.Random(seed)
    span = (NOW - FIRST).total_seconds()
    for _ in range(orders // 10):  # demands filed and never routed (in triage, or answered on the call)
        unrouted = ComplaintFactory(
            category=categories[rng.choice(CATEGORIES)], region=beijing["dongcheng"], channel=rng.choice(Channel.values)
        )
        Complaint.objects.filter(pk=unrouted.pk).update(submitted_at=FIRST + timedelta(seconds=rng.uniform(0, span)))
    for _ in range(orders):
        complaint = ComplaintFactory(
            category=categories[rng.choice(CATEGORIES)],
            region=beijing[rng.choice(PLACES)],
            demand_type=rng.choice(DemandType.values),
            channel=rng.choice(Channel.values),
        )
        at = FIRST + timedelta(seconds=rng.uniform(0, span))
        # Filed up to a day before its first lead (filed at 23:50, routed at 00:10: another day).
        Complaint.objects.filter(pk=complaint.pk).update(submitted_at=at - timedelta(minutes=rng.uniform(1, 1440)))
        reason = AssignmentReason.ROUTED
        for round_ in (1, 2, 3):
            lead = _lead(rng, complaint=complaint, unit=units[rng.choice(LEAD_UNITS)], at=at, reason=reason)
            if lead.status == AssignmentStatus.RESOLVED and rng.random() < 0.7:
                rated_at = lead.resolved_at + timedelta(hours=rng.uniform(1, 72))
                if rated_at < NOW:
                    satisfaction = rng.choice(Satisfaction.values)
                    rating = Rating.objects.create(
                        complaint=complaint, round=round_, solved=rng.random() < 0.7, satisfaction=satisfaction
                    )
                    Rating.objects.filter(pk=rating.pk).update(created_at=rated_at)
                    if satisfaction == Satisfaction.UNSATISFIED and rng.random() < 0.8:
                        at, reason = rated_at + timedelta(minutes=5), AssignmentReason.REOPENED
                        continue
            if lead.status in (AssignmentStatus.SUPERSEDED, AssignmentStatus.RETURNED):
                at = (lead.returned_at or lead.assigned_at) + timedelta(hours=rng.uniform(0.5, 30))
                if at < NOW:
                    reason = AssignmentReason.DISPATCHED
                    continue
            break


def _lead(rng, *, complaint, unit, at, reason) -> Assignment:
    contact_due = at + timedelta(hours=rng.choice((2, 12, 24, 30)))
    resolve_due = at + timedelta(days=rng.choice((1, 3, 7)))
    contacted = _maybe(rng, at + timedelta(hours=rng.uniform(0.2, 40)))
    resolved = _maybe(rng, at + timedelta(hours=rng.uniform(1, 200))) if contacted else None
    if resolved and contacted and resolved < contacted:
        resolved = contacted + timedelta(hours=1)
    status = AssignmentStatus.RESOLVED if resolved else AssignmentStatus.IN_PROGRESS if contacted else None
    status = status or AssignmentStatus.ASSIGNED
    returned_at = None
    draw = rng.random()
    if draw < 0.1:
        status, resolved = AssignmentStatus.SUPERSEDED, None
    elif draw < 0.18:
        status, resolved, returned_at = AssignmentStatus.RETURNED, None, at + timedelta(hours=rng.uniform(0.5, 20))
        returned_at = returned_at if returned_at < NOW else None
        status = status if returned_at else AssignmentStatus.SUPERSEDED
    if resolved and resolved >= NOW:
        status, resolved = AssignmentStatus.IN_PROGRESS, None
    active = status in (AssignmentStatus.ASSIGNED, AssignmentStatus.ACCEPTED, AssignmentStatus.IN_PROGRESS)
    lead = Assignment.objects.create(
        complaint=complaint,
        unit=unit,
        holder=unit,
        status=status,
        reason=reason,
        assigned_at=at,
        contact_due=contact_due,
        resolve_due=resolve_due,
        contacted_at=contacted if contacted and contacted < NOW else None,
        resolved_at=resolved,
        returned_at=returned_at,
        next_due=(resolve_due if contacted else contact_due) if active else None,
    )
    if rng.random() < 0.25:
        _summons(rng, lead=lead, unit=rng.choice(list(unit.__class__.objects.filter(kind=UnitKind.DEPARTMENT))))
    if rng.random() < 0.25:
        decided = at + timedelta(hours=rng.uniform(1, 100))
        Extension.objects.create(
            assignment=lead,
            reason="需要协调",
            previous_due=resolve_due,
            requested_due=resolve_due + timedelta(days=5),
            status=rng.choice((ExtensionStatus.APPROVED, ExtensionStatus.APPROVED, ExtensionStatus.REFUSED)),
            decided_at=decided if decided < NOW else None,
        )
    return lead


def _summons(rng, *, lead: Assignment, unit) -> None:
    report_due = lead.assigned_at + timedelta(minutes=30)
    reported = _maybe(rng, lead.assigned_at + timedelta(minutes=rng.uniform(5, 60)))
    status = rng.choice((AssignmentStatus.IN_PROGRESS, AssignmentStatus.RESOLVED, AssignmentStatus.SUPERSEDED))
    live_summons = Assignment.objects.filter(
        complaint=lead.complaint, unit=unit, role=AssignmentRole.CO_HANDLER, status=AssignmentStatus.IN_PROGRESS
    )
    if status == AssignmentStatus.IN_PROGRESS and live_summons.exists():
        status = AssignmentStatus.RESOLVED  # one live summons of a unit per order
    Assignment.objects.create(
        complaint=lead.complaint,
        unit=unit,
        holder=unit,
        role=AssignmentRole.CO_HANDLER,
        lead=lead,
        status=status,
        reason=AssignmentReason.DISPATCHED,
        assigned_at=lead.assigned_at,
        contact_due=report_due,
        resolve_due=lead.resolve_due,
        report_due=report_due,
        reported_at=reported if reported and reported < NOW else None,
    )


def _maybe(rng, value, chance: float = 0.75):
    return value if rng.random() < chance else None


def scopes(units) -> dict[str, ReportScope]:
    """The city, a district, a street, a community, two districts' streets, and nested paths."""
    path = {name: unit.path for name, unit in units.items()}
    return {
        "the 12345 centre": ReportScope(paths=("",), city_wide=True),
        "city": ReportScope(paths=(path["city"],), unit=units["city"]),
        "dongcheng": ReportScope(paths=(path["dongcheng"],), unit=units["dongcheng"]),
        "donghuamen": ReportScope(paths=(path["donghuamen"],), unit=units["donghuamen"]),
        "duofuxiang": ReportScope(paths=(path["duofuxiang"],), unit=units["duofuxiang"]),
        "two streets": ReportScope(paths=(path["jingshan"], path["jianwai"])),
        "nested": ReportScope(paths=(path["dongcheng"], path["donghuamen"], path["water"])),
    }


def every_report(units, *, now: datetime = NOW) -> dict:
    """Every figure the three reports show, for every scope, month, kind and grouping."""
    out = {}
    for name, scope in scopes(units).items():
        for month in MONTHS:
            for kind in RANKED_KINDS:
                rows = unit_rankings(scope=scope, kind=kind, month=month, now=now)
                out[name, "rankings", str(month), kind] = [
                    [(f.name, getattr(row, f.name)) for f in fields(row) if f.name != "unit"] + [row.unit.pk]
                    for row in rows
                ]
            spots = hot_spots(scope=scope, month=month, now=now)
            out[name, "hot spots", str(month)] = (spots.categories, spots.streets)
        out[name, "received"] = received_breakdown(
            scope=scope, first=date(2026, 8, 28), last=date(2026, 12, 6), now=now
        )
        out[name, "received in November"] = received_breakdown(
            scope=scope, first=date(2026, 11, 1), last=date(2026, 11, 30), now=now
        )
        for by in (BY_DAY, BY_WEEK):
            out[name, "trends", by] = trend_rows(
                scope=scope, first=date(2026, 8, 28), last=date(2026, 12, 6), by=by, now=now
            )
    return out
