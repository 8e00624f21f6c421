"""Routing rules seeded from dispatch/data/routing_rules.json, upserted by name."""

import json
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from complaints.models import Category
from complaints.services.regions import ImportResult
from dispatch.models import DepartmentKind, RoutingRule, TargetKind, Unit, UnitKind
from portal.errors import ActionRefused

RULES_FILE = Path(__file__).resolve().parent.parent.parent / "data" / "routing_rules.json"


def rules_seed(*, path: Path = RULES_FILE) -> ImportResult:
    """Create or update the routing rules in `dispatch/data/routing_rules.json`, matched by name."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ActionRefused(
            _("Cannot read routing rules from %(path)s: %(error)s") % {"path": path, "error": error}
        ) from error
    categories = dict(Category.objects.values_list("code", "id"))
    units = dict(Unit.objects.filter(kind=UnitKind.UTILITY).values_list("code", "id"))
    rows = [(row.get("name"), _rule_fields(row=row, categories=categories, units=units)) for row in _rule_rows(data)]
    existing = {rule.name: rule for rule in RoutingRule.objects.filter(name__in=[name for name, _f in rows])}
    result = ImportResult()
    with transaction.atomic():
        for name, wanted in rows:
            rule = existing.get(name)
            if rule is None:
                RoutingRule.objects.create(name=name, **wanted)
                result.created += 1
            elif any(getattr(rule, field) != value for field, value in wanted.items()):
                for field, value in wanted.items():
                    setattr(rule, field, value)
                rule.save(update_fields=[field.removesuffix("_id") for field in wanted])
                result.updated += 1
            else:
                result.unchanged += 1
    return result


def _rule_rows(data) -> list[dict]:
    if not isinstance(data, list) or not all(isinstance(row, dict) and row.get("name") for row in data):
        raise ActionRefused(_("Routing rules must be a list of objects, each with a name."))
    return data


def _rule_fields(*, row: dict, categories: dict[str, int], units: dict[str, int]) -> dict:
    """The rule's columns, or ActionRefused naming the rule that cannot be built."""
    target_kind, department_kind = row.get("target_kind"), row.get("department_kind", "")
    valid = (
        row.get("category") in categories
        and target_kind in TargetKind.values
        and (target_kind != TargetKind.FIXED or row.get("target_unit") in units)
        and type(row.get("priority", 0)) is int
        and (
            department_kind in DepartmentKind.values
            if target_kind == TargetKind.DISTRICT_DEPARTMENT
            else not department_kind
        )
    )
    if not valid:
        raise ActionRefused(
            _("Routing rule “%(name)s” has an unknown category, target or unit.") % {"name": row["name"]}
        )
    return {
        "category_id": categories[row["category"]],
        "region_id": None,
        "target_kind": target_kind,
        "target_unit_id": units[row["target_unit"]] if target_kind == TargetKind.FIXED else None,
        "department_kind": department_kind,
        "priority": row.get("priority", 0),
    }
