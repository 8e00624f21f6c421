"""Routing: which unit owns a new complaint.

Of the active rules whose category subtree and region subtree contain the
complaint, the most specific wins: a deeper category beats a shallower one, then
a deeper region, then the higher priority, then the older rule. A rule whose
relative target does not exist for this place (no street office for the street)
is skipped in favour of the next. No rule → the 12345 centre's triage queue.
"""

from django.db import transaction
from django.db.models import F, Q

from complaints.models import Complaint, ComplaintStatus, EventKind
from complaints.services import complaint_lock
from complaints.services.lifecycle import complaint_record
from complaints.timeline import CENTRE
from dispatch.models import AssignmentReason, RoutingRule, TargetKind, TriageItem, TriageReason, Unit, UnitKind
from dispatch.services.assignments import complaint_assign


def route(
    *, complaint: Complaint, exclude_unit_ids: frozenset[int] = frozenset()
) -> tuple[RoutingRule | None, Unit | None]:
    """The best rule with a unit to give, skipping units in `exclude_unit_ids`
    (those that returned the order as not theirs)."""
    return routes_for(complaints=[complaint], exclude={complaint.pk: exclude_unit_ids})[complaint.pk]


def routes_for(
    *, complaints: list[Complaint], exclude: dict[int, frozenset[int]] | None = None
) -> dict[int, tuple[RoutingRule | None, Unit | None]]:
    """Routing for many complaints in four queries (the candidate rules, street
    offices, district departments), so a triage page of suggestions costs what
    one complaint does. `exclude` maps a complaint's pk to units to skip."""
    exclude = exclude or {}
    category_codes = {code for c in complaints for code in c.category.ancestor_codes()}
    region_codes = {c.region.code[:n] for c in complaints for n in (2, 6, 9, 12) if n <= len(c.region.code)}
    rules = sorted(
        RoutingRule.objects.filter(
            Q(category__isnull=True) | Q(category__code__in=category_codes),
            Q(region__isnull=True) | Q(region__code__in=region_codes),
            is_active=True,
        ).select_related("category", "region", "target_unit"),
        key=_specificity,
        reverse=True,
    )
    targets = _RelativeTargets(complaints=complaints)
    result = {}
    for complaint in complaints:
        ancestors = set(complaint.category.ancestor_codes())
        result[complaint.pk] = (None, None)
        for rule in rules:
            if rule.category_id and rule.category.code not in ancestors:
                continue
            if rule.region_id and not complaint.region.code.startswith(rule.region.code):
                continue
            unit = targets.of(rule=rule, complaint=complaint)
            if unit is not None and unit.pk not in exclude.get(complaint.pk, ()):
                result[complaint.pk] = (rule, unit)
                break
    return result


def _specificity(rule: RoutingRule) -> tuple[int, int, int, int]:
    category_depth = rule.category.depth if rule.category_id else 0
    region_depth = len(rule.region.code) if rule.region_id else 0
    return (category_depth, region_depth, rule.priority, -rule.pk)


class _RelativeTargets:
    """The active street offices and district departments of the complaints'
    places, read once; a rule whose relative target is missing there yields None."""

    def __init__(self, *, complaints: list[Complaint]):
        street_codes = {c.region.street_code for c in complaints} - {None}
        district_codes = {c.region.district_code for c in complaints} - {None}
        self.streets, self.departments = {}, {}
        if street_codes:
            for unit in Unit.objects.filter(
                kind=UnitKind.STREET_OFFICE, region__code__in=street_codes, is_active=True
            ).annotate(street=F("region__code")):
                self.streets.setdefault(unit.street, unit)
        if district_codes:
            for unit in Unit.objects.filter(
                kind=UnitKind.DEPARTMENT, parent__region__code__in=district_codes, is_active=True
            ).annotate(district=F("parent__region__code")):
                self.departments.setdefault((unit.district, unit.department_kind), unit)

    def of(self, *, rule: RoutingRule, complaint: Complaint) -> Unit | None:
        region = complaint.region
        if rule.target_kind == TargetKind.FIXED:
            return rule.target_unit if rule.target_unit.is_active else None
        if rule.target_kind == TargetKind.STREET_OFFICE and region.street_code:
            return self.streets.get(region.street_code)
        if rule.target_kind == TargetKind.DISTRICT_DEPARTMENT and region.district_code:
            return self.departments.get((region.district_code, rule.department_kind))
        return None


def complaint_route(*, complaint_id: int) -> str:
    """Route a submitted complaint once. Safe to run any number of times: a
    complaint that is no longer `submitted`, or already waits in triage, is left
    alone; the row lock and the one-live-assignment constraint make two
    concurrent runs produce one assignment. Returns what happened."""
    with transaction.atomic():
        complaint = complaint_lock(complaint_id=complaint_id)
        if complaint.status != ComplaintStatus.SUBMITTED:
            return "skipped"
        if TriageItem.objects.filter(complaint=complaint, closed_at__isnull=True).exists():
            return "in_triage"
        if complaint.emergency_words:
            # A fire or a threat to life is not left to a rule: the centre dispatches it at once.
            _to_triage(complaint=complaint, reason=TriageReason.EMERGENCY, fact="triage_emergency")
            return "triage"
        if complaint.place_to_confirm:
            # Known only to its district: a street office chosen now would be a guess.
            _to_triage(complaint=complaint, reason=TriageReason.PLACE_TO_CONFIRM, fact="triage_place")
            return "triage"
        rule, unit = route(complaint=complaint)
        if unit is None:
            _to_triage(complaint=complaint, reason=TriageReason.NO_RULE, fact="triage_no_rule")
            return "triage"
        complaint_assign(
            complaint=complaint,
            unit=unit,
            reason=AssignmentReason.ROUTED,
            rule=rule,
            data={"rule_id": rule.pk, "rule": rule.name},
        )
        return "assigned"


def _to_triage(*, complaint: Complaint, reason: str, fact: str) -> None:
    TriageItem.objects.create(complaint=complaint, reason=reason)
    complaint_record(complaint=complaint, kind=EventKind.TRIAGED, fact=fact, by=CENTRE, data={"reason": reason})
