"""Import the category taxonomy from a list of groups, each with its children, as
`complaints/data/categories.json` holds it. Rows are matched by code, so the file
can be re-imported after an edit; categories missing from the file are left alone
(complaints and rules may point at them).

`category_tree` is the taxonomy and its active questions as each process holds
them between writes, for the doors that file complaints (no query per request)."""

import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from complaints.models import Category, CategoryQuestion, Priority
from complaints.services.regions import ImportResult
from complaints.services.snapshots import Snapshot
from portal.errors import ActionRefused

CATEGORIES_FILE = Path(__file__).resolve().parent.parent / "data" / "categories.json"

_GROUP_CODE = re.compile(r"^[a-z0-9_-]+$")
_FIELDS = (
    "name",
    "name_en",
    "description",
    "sort_order",
    "is_active",
    "default_priority",
    "duplicate_radius_m",
    "duplicate_window_hours",
    "parent_id",
)
# Optional positive whole numbers; absent or null: as the parent group.
_DUPLICATE_FIELDS = {"duplicate_radius_m": 100_000, "duplicate_window_hours": 24 * 365}
_LIMITS = {"name": 100, "name_en": 100, "description": 300}


def categories_load(*, path: Path = CATEGORIES_FILE) -> list[dict]:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ActionRefused(
            _("Cannot read categories from %(path)s: %(error)s") % {"path": path, "error": error}
        ) from error


def categories_import(*, data: list[dict]) -> ImportResult:
    """Create or update the groups and their sub-categories. Idempotent; a bad
    entry refuses the whole import (ActionRefused) and changes nothing."""
    rows = _flatten(data=data)
    result = ImportResult()
    with transaction.atomic():
        existing = {category.code: category for category in Category.objects.filter(code__in=[r["code"] for r in rows])}
        for row in rows:
            parent_code = row.pop("parent_code")
            row["parent_id"] = existing[parent_code].pk if parent_code else None
            category = existing.get(row["code"])
            if category is None:
                existing[row["code"]] = Category.objects.create(**row)
                result.created += 1
            elif any(getattr(category, field) != row[field] for field in _FIELDS):
                for field in _FIELDS:
                    setattr(category, field, row[field])
                category.save(update_fields=[f.removesuffix("_id") for f in _FIELDS])
                result.updated += 1
            else:
                result.unchanged += 1
    return result


def _flatten(*, data) -> list[dict]:
    """Groups then children, each checked; parents come before their children."""
    if not isinstance(data, list) or not data:
        raise ActionRefused(_("The category data must be a non-empty list of groups."))
    rows, seen = [], set()
    for group in data:
        rows.append(_row(entry=group, parent_code=None, seen=seen))
        children = group.get("children", [])
        if not isinstance(children, list):
            raise ActionRefused(_("The children of “%(code)s” must be a list.") % {"code": group["code"]})
        for child in children:
            rows.append(_row(entry=child, parent_code=group["code"], seen=seen))
    return rows


def _row(*, entry, parent_code: str | None, seen: set[str]) -> dict:
    if not isinstance(entry, dict):
        raise ActionRefused(_("Each category must be an object, not %(value)r.") % {"value": entry})
    code = entry.get("code")
    valid_code = isinstance(code, str) and (
        _GROUP_CODE.match(code)
        if parent_code is None
        else code.startswith(f"{parent_code}.") and _GROUP_CODE.match(code.removeprefix(f"{parent_code}."))
    )
    if not valid_code:
        raise ActionRefused(_("“%(code)s” is not a valid category code here.") % {"code": code})
    if code in seen:
        raise ActionRefused(_("The category code “%(code)s” appears twice.") % {"code": code})
    seen.add(code)
    row = {"code": code, "parent_code": parent_code}
    for field, limit in _LIMITS.items():
        value = entry.get(field, "")
        if not isinstance(value, str) or len(value) > limit or (field == "name" and not value.strip()):
            raise ActionRefused(_("Category “%(code)s” has a bad %(field)s.") % {"code": code, "field": field})
        row[field] = value.strip()
    sort_order, is_active = entry.get("sort_order", 0), entry.get("is_active", True)
    if type(sort_order) is not int or not 0 <= sort_order <= 32767 or type(is_active) is not bool:
        raise ActionRefused(_("Category “%(code)s” has a bad sort_order or is_active.") % {"code": code})
    # Empty: as the parent group (Category.effective_priority).
    default_priority = entry.get("default_priority", "")
    if default_priority not in ("", *Priority.values):
        raise ActionRefused(_("Category “%(code)s” has a bad default_priority.") % {"code": code})
    row.update(sort_order=sort_order, is_active=is_active, default_priority=default_priority)
    for field, limit in _DUPLICATE_FIELDS.items():
        value = entry.get(field)
        if value is not None and (type(value) is not int or not 1 <= value <= limit):
            raise ActionRefused(_("Category “%(code)s” has a bad %(field)s.") % {"code": code, "field": field})
        row[field] = value
    return row


@dataclass(frozen=True)
class CategoryTree:
    """Every category, each with its parent attached, as one process holds them
    between writes. The rows are shared: read them, never change them."""

    by_pk: dict[int, Category]
    by_code: dict[str, Category]
    # Parent's pk → its sub-categories, active or not, in the form's order.
    children: dict[int, list[Category]]
    # The active groups in the form's order, each with its active sub-categories.
    groups: list[tuple[Category, list[Category]]]
    # Category's pk → its own active questions, each with its category attached.
    questions: dict[int, list[CategoryQuestion]]

    def active(self, pk: int) -> Category | None:
        category = self.by_pk.get(pk)
        return category if category is not None and category.is_active else None

    def has_active_children(self, category: Category) -> bool:
        return any(child.is_active for child in self.children.get(category.pk, ()))

    def questions_for(self, category: Category) -> list[CategoryQuestion]:
        """As `services.questions.questions_for`: the category's and its group's, the group's first."""
        rows = [*self.questions.get(category.parent_id, []), *self.questions.get(category.pk, [])]
        return sorted(rows, key=lambda q: (q.category.depth, q.order, q.pk))


def category_tree() -> CategoryTree:
    """The category tree from this process's copy: no query unless a category changed."""
    return _snapshot.get()


def category_tree_forget(**kwargs) -> None:
    """Every process rebuilds the tree on its next read (wired to the saves and
    deletes of Category and CategoryQuestion)."""
    _snapshot.forget()


def _tree_build() -> CategoryTree:
    rows = list(Category.objects.order_by("sort_order", "code"))
    by_pk = {category.pk: category for category in rows}
    children: dict[int, list[Category]] = {}
    for category in rows:
        if category.parent_id is not None:
            category.parent = by_pk[category.parent_id]
            children.setdefault(category.parent_id, []).append(category)
    groups = [
        (top, [child for child in children.get(top.pk, []) if child.is_active])
        for top in rows
        if top.parent_id is None and top.is_active
    ]
    questions: dict[int, list[CategoryQuestion]] = {}
    for question in CategoryQuestion.objects.filter(is_active=True).order_by("order", "pk"):
        question.category = by_pk[question.category_id]
        questions.setdefault(question.category_id, []).append(question)
    return CategoryTree(
        by_pk=by_pk,
        by_code={category.code: category for category in rows},
        children=children,
        groups=groups,
        questions=questions,
    )


_snapshot = Snapshot(name="categories", build=_tree_build)
