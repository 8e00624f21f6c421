"""Seed the categories' extra questions from `complaints/data/questions.json`: a list
of `{"category": code, "questions": [...]}`. Questions are matched by category and
code, so a re-run updates what changed and creates nothing twice; questions missing
from the file are left alone (an administrator may have added them)."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from complaints.models import Category, CategoryQuestion
from complaints.services.regions import ImportResult
from portal.errors import ActionRefused

QUESTIONS_FILE = Path(__file__).resolve().parent.parent / "data" / "questions.json"

_FIELDS = (
    "prompt",
    "prompt_en",
    "datatype",
    "variable",
    "required",
    "datatype_description",
    "values",
    "order",
    "is_active",
)
_DEFAULTS = {"prompt_en": "", "variable": True, "required": False, "datatype_description": "", "values": []}
_DEFAULTS |= {"order": 0, "is_active": True}


def questions_load(*, path: Path = QUESTIONS_FILE) -> list[dict]:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ActionRefused(
            _("Cannot read questions from %(path)s: %(error)s") % {"path": path, "error": error}
        ) from error


def questions_seed(*, data: list[dict] | None = None) -> ImportResult:
    """Create or update the questions in `data` (default: the shipped file). Each is
    checked by the model's own rules, as the admin checks it; one bad entry refuses
    the whole seed (ActionRefused) and changes nothing."""
    data = questions_load() if data is None else data
    if not isinstance(data, list):
        raise ActionRefused(_("The question data must be a list of categories with their questions."))
    result = ImportResult()
    with transaction.atomic():
        for entry in data:
            category = _category(entry)
            existing = {q.code: q for q in CategoryQuestion.objects.filter(category=category)}
            for raw in entry.get("questions") or []:
                row = _row(category=category, raw=raw)
                question = existing.get(row["code"])
                if question is None:
                    question = CategoryQuestion(category=category, **row)
                    _check(question)
                    question.save()
                    existing[question.code] = question
                    result.created += 1
                elif any(getattr(question, field) != row[field] for field in _FIELDS):
                    for field in _FIELDS:
                        setattr(question, field, row[field])
                    _check(question)
                    question.save(update_fields=list(_FIELDS))
                    result.updated += 1
                else:
                    result.unchanged += 1
    return result


def _category(entry) -> Category:
    code = entry.get("category") if isinstance(entry, dict) else None
    category = Category.objects.filter(code=code).first() if isinstance(code, str) else None
    if category is None:
        raise ActionRefused(_("Questions for “%(code)s”: there is no such category.") % {"code": str(code)[:60]})
    if not isinstance(entry.get("questions", []), list):
        raise ActionRefused(_("The questions of “%(code)s” must be a list.") % {"code": code})
    return category


def _row(*, category: Category, raw) -> dict:
    if not isinstance(raw, dict) or not isinstance(raw.get("code"), str):
        raise ActionRefused(_("Each question of “%(code)s” is an object with a code.") % {"code": category.code})
    unknown = set(raw) - {"code", *_FIELDS}
    if unknown:
        raise ActionRefused(
            _("Question “%(code)s” has unknown fields: %(fields)s.")
            % {"code": raw["code"], "fields": ", ".join(sorted(unknown))}
        )
    return {"code": raw["code"], **{field: raw.get(field, _DEFAULTS.get(field)) for field in _FIELDS}}


def _check(question: CategoryQuestion) -> None:
    try:
        question.full_clean()
    except ValidationError as error:
        problems = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
        raise ActionRefused(
            _("Question “%(code)s” of “%(category)s” is wrong: %(problems)s")
            % {"code": question.code, "category": question.category.code, "problems": problems}
        ) from error
