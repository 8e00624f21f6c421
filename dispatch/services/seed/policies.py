"""The default deadline policies, seeded from dispatch/data/deadline_policies.json.

- emergency (urgent, any category): contact within 2 h, resolve within 24 h;
- utilities outage (ordinary priority on the `utilities` group: water, power, gas,
  heating): contact within 2 h, resolve within 24 h;
- ordinary (normal, any category): contact within 24 h, resolve within 7 days,
  counted as 168 clock hours: 12345's "7 days" are natural days, so a weekend or
  a holiday does not stretch them;
- complex (complex, any category): contact within 24 h, resolve within 15 working
  days on the official calendar.

Each reports within 30 minutes when summoned, warns at 80% of the time, and climbs
one more level up the unit tree every 24 h a breach stays open (4 h for the two
24-hour policies, whose whole budget is a day).

Seeding only creates what is missing, matched by name: `make run` seeds on every
start, and an administrator's tuning of a seeded policy must survive that. A
policy the administrator created for the same category and priority wins too.
"""

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from complaints.models import Category
from complaints.services.regions import ImportResult
from dispatch.models import DeadlinePolicy
from portal.errors import ActionRefused

DEFAULT_WARN_SHARE = "0.80"
POLICIES_FILE = Path(__file__).resolve().parent.parent.parent / "data" / "deadline_policies.json"

_FIELDS = (
    "priority",
    "contact_within",
    "contact_unit",
    "resolve_within",
    "resolve_unit",
    "report_within_minutes",
    "warn_share",
    "escalate_after_hours",
)


def policies_seed(*, path: Path = POLICIES_FILE) -> ImportResult:
    """Create the seeded policies that are missing. A bad entry refuses the whole seed."""
    rows = _policy_rows(_read(path))
    categories = {category.code: category for category in Category.objects.all()}
    taken_names = set(
        DeadlinePolicy.objects.filter(name__in=[row["name"] for row in rows]).values_list("name", flat=True)
    )
    result = ImportResult()
    with transaction.atomic():
        for row in rows:
            policy = _policy(row=row, categories=categories)
            if row["name"] in taken_names or _key_taken(policy):
                result.unchanged += 1
                continue
            try:
                policy.full_clean()
            except ValidationError as error:
                raise ActionRefused(
                    _("Deadline policy “%(name)s” is not valid: %(error)s") % {"name": row["name"], "error": error}
                ) from error
            policy.save()
            result.created += 1
    return result


def _read(path: Path):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ActionRefused(
            _("Cannot read deadline policies from %(path)s: %(error)s") % {"path": path, "error": error}
        ) from error


def _policy_rows(data) -> list[dict]:
    if not isinstance(data, list) or not all(isinstance(row, dict) and row.get("name") for row in data):
        raise ActionRefused(_("Deadline policies must be a list of objects, each with a name."))
    return data


def _policy(*, row: dict, categories: dict[str, Category]) -> DeadlinePolicy:
    code = row.get("category")
    if code is not None and code not in categories:
        raise ActionRefused(
            _("Deadline policy “%(name)s” names an unknown category “%(code)s”.") % {"name": row["name"], "code": code}
        )
    fields = {field: row[field] for field in _FIELDS if field in row}
    # Through str: the share is a two-place decimal, and the float 0.8 is not quite 0.80.
    try:
        fields["warn_share"] = Decimal(str(row.get("warn_share", DEFAULT_WARN_SHARE)))
    except InvalidOperation as error:
        raise ActionRefused(
            _("Deadline policy “%(name)s” is not valid: %(error)s") % {"name": row["name"], "error": "warn_share"}
        ) from error
    return DeadlinePolicy(name=row["name"], category=categories.get(code), **fields)


def _key_taken(policy: DeadlinePolicy) -> bool:
    """An active policy already covers this category (or the default) and priority."""
    return DeadlinePolicy.objects.filter(category=policy.category, priority=policy.priority, is_active=True).exists()
