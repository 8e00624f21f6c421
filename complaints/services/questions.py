"""The category's extra questions and the checking of their answers, shared by
every door that files a complaint (the web form, the API, Open311)."""

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from complaints.models import Category, CategoryQuestion, QuestionType
from complaints.services.categories import category_tree

MAX_ANSWER = 500


def questions_for(*, category: Category) -> list[CategoryQuestion]:
    """The active questions of the category and of its group, the group's first,
    from the category tree's copy (no query). Shared rows: read them, never change them."""
    return category_tree().questions_for(category)


def answers_clean(*, category: Category, raw: Mapping[str, str | list[str]] | None, require: bool = True) -> dict:
    """Check `raw` (question code → text, or a list of keys for a multi-value list)
    against the category's questions and return the answers to store.

    `require=False` asks no answer of a required question (a consultation answered
    on the call asked something else); what is answered is still checked.

    Unknown codes are refused, not ignored: a client that sends them has the wrong
    service definition. Errors are keyed `answers.<code>`, one ValidationError for
    all of them, so each door can put every message next to its own field.
    """
    raw = dict(raw or {})
    questions = {q.code: q for q in questions_for(category=category) if q.variable}
    errors: dict[str, str] = {}
    answers: dict = {}
    for code in raw:
        if code not in questions:
            errors[code] = _("This category asks no question “%(code)s”.") % {"code": code[:50]}
    for code, question in questions.items():
        value = raw.get(code)
        values = value if isinstance(value, list) else ([] if value in (None, "") else [value])
        values = [str(v).strip() for v in values if str(v).strip()]
        if not values:
            if question.required and require:
                errors[code] = _("Answer this question.")
            continue
        try:
            answers[code] = _clean_one(question, values)
        except ValidationError as error:
            errors[code] = error.messages[0]
    if errors:
        raise ValidationError({f"answers.{code}": message for code, message in errors.items()})
    return answers


def _clean_one(question: CategoryQuestion, values: list[str]):
    kind = question.datatype
    if kind == QuestionType.MULTI:
        keys = {str(choice.get("key")) for choice in question.values}
        if any(v not in keys for v in values):
            raise ValidationError(_("Choose from the list."))
        return list(dict.fromkeys(values))
    if len(values) > 1:
        raise ValidationError(_("Give one answer."))
    value = values[0]
    if len(value) > MAX_ANSWER:
        raise ValidationError(_("Keep it under %(n)d characters.") % {"n": MAX_ANSWER})
    if kind == QuestionType.SINGLE:
        if value not in {str(choice.get("key")) for choice in question.values}:
            raise ValidationError(_("Choose from the list."))
    elif kind == QuestionType.NUMBER:
        try:
            number = Decimal(value)
        except InvalidOperation as exc:
            raise ValidationError(_("Give a number.")) from exc
        if not number.is_finite():
            raise ValidationError(_("Give a number."))
    elif kind == QuestionType.DATETIME:
        if _datetime(value) is None:
            raise ValidationError(_("Give a date and time, such as 2026-12-01T08:30+08:00."))
    return value


def _datetime(value: str) -> datetime | None:
    try:
        return parse_datetime(value.replace(" ", "T", 1))
    except ValueError:
        return None
