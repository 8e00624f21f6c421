"""The answers to a category's extra questions, paired with their questions, for
the handler's order page."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from complaints.models import CategoryQuestion, Complaint, QuestionType
from complaints.selectors.labels import in_reader_language


@dataclass(frozen=True)
class AnswerShown:
    code: str
    question: str
    answer: str


def answers_shown(*, complaint: Complaint) -> list[AnswerShown]:
    """Each answer with its question's prompt in the reader's language, list keys as
    their names. Questions retired since the complaint was filed still label their
    answers; an answer whose question is gone shows under its code. One query."""
    answers = complaint.answers or {}
    if not answers:
        return []
    category = complaint.category
    owners = Q(category_id=category.pk)
    if category.parent_id:
        owners |= Q(category_id=category.parent_id)
    questions = {}
    for question in CategoryQuestion.objects.filter(owners, code__in=list(answers)).order_by("order", "pk"):
        # The sub-category's own question wins over its group's of the same code.
        if question.code not in questions or question.category_id == category.pk:
            questions[question.code] = question
    known = sorted(questions.values(), key=lambda q: (q.order, q.pk))
    shown = [_shown(question=q, value=answers[q.code]) for q in known]
    shown += [
        AnswerShown(code=code, question=code, answer=_text(value))
        for code, value in answers.items()
        if code not in questions
    ]
    return shown


def _shown(*, question: CategoryQuestion, value) -> AnswerShown:
    label = in_reader_language(question.prompt, question.prompt_en)
    if question.datatype in (QuestionType.SINGLE, QuestionType.MULTI):
        names = {c.get("key"): in_reader_language(c.get("name", ""), c.get("name_en", "")) for c in question.values}
        keys = value if isinstance(value, list) else [value]
        return AnswerShown(
            code=question.code, question=label, answer=_separator().join(names.get(k) or str(k) for k in keys)
        )
    if question.datatype == QuestionType.DATETIME:
        return AnswerShown(code=question.code, question=label, answer=_when(str(value)))
    return AnswerShown(code=question.code, question=label, answer=_text(value))


def _when(value: str) -> str:
    try:
        moment = parse_datetime(value.replace(" ", "T", 1))
    except ValueError:
        moment = None
    if moment is None:
        return value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d %H:%M")


def _text(value) -> str:
    return _separator().join(str(v) for v in value) if isinstance(value, list) else str(value)


def _separator() -> str:
    return in_reader_language("、", ", ")
