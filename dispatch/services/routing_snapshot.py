"""The active routing rules and the units they can name, as each process holds them
between writes (complaints.services.snapshots), so routing a complaint, a batch or a
triage page of suggestions reads no table.

Kept as plain rows, never as model instances: a threaded server's requests share the
copy, and an instance handed to one of them may be changed or cached into. Each call
makes its own instances from the rows (`RoutingCall`).

Forgotten on every save and delete of a rule, a unit, a category or a region (a
rule's category code or region code, and the place a unit serves, are read from
them); the unit seed's bulk writes, which send no signals, forget it themselves (a
unit moved in the tree forgets it by its own save, whose commit every process hears
after the UPDATE of its descendants' paths).
"""

from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS

from complaints.models import Region
from complaints.services.snapshots import Snapshot, instance_row
from dispatch.models import RoutingRule, TargetKind, Unit, UnitKind

# The prefixes of a place's code that name a place (city, district, street,
# community): a rule's region matches a complaint's place only at one of them.
PLACE_CODE_LENGTHS = (2, 6, 9, 12)


@dataclass(frozen=True, slots=True)
class RuleRow:
    # The rule's concrete fields in the model's order, as `Model.from_db` takes them.
    values: tuple
    category_code: str | None
    region_code: str | None
    target_kind: str
    department_kind: str
    target_unit_id: int | None
    target_active: bool


@dataclass(frozen=True)
class RoutingSnapshot:
    """The active rules, most specific first (`rule_specificity`), and the units a
    rule can give. Shared by every thread of the process: read it, never change it."""

    rules: tuple[RuleRow, ...]
    # pk → the unit's concrete fields: every fixed target, street office and department kept here.
    units: dict[int, tuple]
    # A street's code → its active street office's pk.
    streets: dict[str, int]
    # (a district's code, a department kind) → the active department's pk.
    departments: dict[tuple[str, str], int]
    db: str

    def target_of(self, *, rule: RuleRow, region: Region) -> int | None:
        """The pk of the unit `rule` gives for a complaint in `region`; None when its
        relative target does not exist there or its fixed unit is inactive."""
        if rule.target_kind == TargetKind.FIXED:
            return rule.target_unit_id if rule.target_active else None
        if rule.target_kind == TargetKind.STREET_OFFICE and region.street_code:
            return self.streets.get(region.street_code)
        if rule.target_kind == TargetKind.DISTRICT_DEPARTMENT and region.district_code:
            return self.departments.get((region.district_code, rule.department_kind))
        return None


class RoutingCall:
    """One call's instances made from the snapshot's rows, each rule and unit made
    once for the call (a fixed rule's unit is its `target_unit`) and never shared
    with another call."""

    def __init__(self, snapshot: RoutingSnapshot):
        self.snapshot = snapshot
        self._rules: dict[int, RoutingRule] = {}
        self._units: dict[int, Unit] = {}

    def unit(self, pk: int) -> Unit:
        if pk not in self._units:
            self._units[pk] = Unit.from_db(self.snapshot.db, None, self.snapshot.units[pk])
        return self._units[pk]

    def rule(self, row: RuleRow) -> RoutingRule:
        pk = row.values[0]
        if pk not in self._rules:
            rule = RoutingRule.from_db(self.snapshot.db, None, row.values)
            if row.target_unit_id is not None:
                # As the query's select_related did: reading it costs no query.
                rule.target_unit = self.unit(row.target_unit_id)
            self._rules[pk] = rule
        return self._rules[pk]


def routing_snapshot() -> RoutingSnapshot:
    """The rules and their units from this process's copy: no query unless one changed."""
    return _snapshot.get()


def routing_snapshot_forget(**kwargs) -> None:
    """Every process rebuilds the snapshot on its next read (wired to the saves and
    deletes of RoutingRule, Unit, Category and Region; called by the bulk writes)."""
    _snapshot.forget()


def rule_specificity(rule: RoutingRule) -> tuple[int, int, int, int]:
    """A deeper category beats a shallower one, then a deeper region, then the higher
    priority, then the older rule."""
    category_depth = rule.category.depth if rule.category_id else 0
    region_depth = len(rule.region.code) if rule.region_id else 0
    return (category_depth, region_depth, rule.priority, -rule.pk)


def _build() -> RoutingSnapshot:
    # From the primary even in a report request: a copy built from a replica that lags
    # a write would be kept until the next write.
    db = DEFAULT_DB_ALIAS
    queryset = RoutingRule.objects.using(db).filter(is_active=True).select_related("category", "region", "target_unit")
    rules = sorted(queryset, key=rule_specificity, reverse=True)
    units = {rule.target_unit_id: instance_row(rule.target_unit) for rule in rules if rule.target_unit_id is not None}
    rows = tuple(
        RuleRow(
            values=instance_row(rule),
            category_code=rule.category.code if rule.category_id else None,
            region_code=rule.region.code if rule.region_id else None,
            target_kind=rule.target_kind,
            department_kind=rule.department_kind,
            target_unit_id=rule.target_unit_id,
            target_active=rule.target_unit.is_active if rule.target_unit_id else False,
        )
        for rule in rules
        # A region that is no place's prefix (a code of another length) matches no complaint.
        if not rule.region_id or len(rule.region.code) in PLACE_CODE_LENGTHS
    )
    streets: dict[str, int] = {}
    # In path order, as the units' own: should two qualify, the first in the tree wins.
    for unit in (
        Unit.objects.using(db)
        .filter(kind=UnitKind.STREET_OFFICE, is_active=True, region__isnull=False)
        .select_related("region")
    ):
        streets.setdefault(unit.region.code, unit.pk)
        units[unit.pk] = instance_row(unit)
    departments: dict[tuple[str, str], int] = {}
    for unit in (
        Unit.objects.using(db)
        .filter(kind=UnitKind.DEPARTMENT, is_active=True, parent__region__isnull=False)
        .select_related("parent__region")
    ):
        departments.setdefault((unit.parent.region.code, unit.department_kind), unit.pk)
        units[unit.pk] = instance_row(unit)
    return RoutingSnapshot(rules=rows, units=units, streets=streets, departments=departments, db=db)


_snapshot = Snapshot(name="routing", build=_build)
