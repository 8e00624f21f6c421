"""The category's extra questions as form fields, `q_<code>`, one widget per
datatype. The fields accept anything: `answers_clean` checks the answers, the
same check the API and Open311 get, and its messages land next to these fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.forms.base import NewlineCharField, in_reader_language
from complaints.models import CategoryQuestion, QuestionType
from complaints.services.questions import MAX_ANSWER

PREFIX = "q_"


class KeysField(forms.MultipleChoiceField):
    """Checkboxes whose keys answers_clean checks, with every other answer."""

    def valid_value(self, value):
        return True


def field_name(code: str) -> str:
    return f"{PREFIX}{code}"


def question_label(question: CategoryQuestion) -> str:
    return in_reader_language(question.prompt, question.prompt_en)


def choices_of(question: CategoryQuestion) -> list[tuple[str, str]]:
    return [
        (choice["key"], in_reader_language(choice["name"], choice.get("name_en", ""))) for choice in question.values
    ]


def question_field(question: CategoryQuestion) -> forms.Field:
    label = question_label(question)
    if not question.required:
        label = f"{label} {_('(optional)')}"
    common = {"label": label, "required": False, "help_text": question.datatype_description}
    kind = question.datatype
    text_attrs = {"maxlength": MAX_ANSWER}
    if kind == QuestionType.MULTI:
        return KeysField(choices=choices_of(question), widget=forms.CheckboxSelectMultiple, **common)
    if kind == QuestionType.SINGLE:
        return forms.CharField(widget=forms.Select(choices=[("", _("Choose one")), *choices_of(question)]), **common)
    if kind == QuestionType.TEXT:
        return NewlineCharField(widget=forms.Textarea(attrs={"rows": 3, **text_attrs}), **common)
    if kind == QuestionType.NUMBER:
        return forms.CharField(widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}), **common)
    if kind == QuestionType.DATETIME:
        return forms.CharField(widget=forms.TextInput(attrs={"type": "datetime-local"}), **common)
    return forms.CharField(widget=forms.TextInput(attrs=text_attrs), **common)


def add_answer_errors(form, error) -> None:
    """Put answers_clean's errors (keyed `answers.<code>`) next to each question's
    field, or on the form when the question is not one of its fields."""
    for key, errors in error.error_dict.items():
        name = field_name(key.removeprefix("answers."))
        form.add_error(name if name in form.fields else None, errors)
