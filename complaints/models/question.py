import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionType(models.TextChoices):
    """Open311 GeoReport v2's attribute datatypes, so a question is also a service
    definition attribute without translation."""

    STRING = "string", _("Short text")
    NUMBER = "number", _("Number")
    DATETIME = "datetime", _("Date and time")
    TEXT = "text", _("Long text")
    SINGLE = "singlevaluelist", _("One choice from a list")
    MULTI = "multivaluelist", _("Several choices from a list")


LIST_TYPES = (QuestionType.SINGLE, QuestionType.MULTI)
CHOICE_FIELDS = {"key": 50, "name": 100, "name_en": 100}
# Keys travel in form fields and Open311's `attribute[code][]=key`: plain words only.
CHOICE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


class CategoryQuestion(models.Model):
    """An extra question a category asks (since when is the water off? the account
    number?), answered on the web form, the API and Open311 and shown to the handler.

    A group's questions are asked for every sub-category under it. `values` holds a
    list type's choices as `[{"key": …, "name": …, "name_en": …}]`; answers store keys.
    """

    category = models.ForeignKey(
        "complaints.Category", on_delete=models.CASCADE, related_name="questions", verbose_name=_("category")
    )
    code = models.CharField(
        _("code"),
        max_length=50,
        validators=[RegexValidator(r"^[a-z][a-z0-9_]*$", _("Lower-case letters, digits and underscores."))],
    )
    prompt = models.CharField(_("question"), max_length=200)
    prompt_en = models.CharField(_("English question"), max_length=200, blank=True)
    datatype = models.CharField(_("answer type"), max_length=16, choices=QuestionType.choices)
    # Open311's `variable`: false for a line that only informs and takes no answer.
    variable = models.BooleanField(_("takes an answer"), default=True)
    required = models.BooleanField(_("required"), default=False)
    datatype_description = models.CharField(_("answer hint"), max_length=200, blank=True)
    values = models.JSONField(_("choices"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["category", "order", "pk"]
        verbose_name = _("extra question")
        verbose_name_plural = _("extra questions")
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="question_code_unique_per_category"),
        ]

    def __str__(self):
        return f"{self.category.code}:{self.code}"

    def clean(self):
        """The admin, the seed and any other door get the same check: a list asks
        its choices, anything else has none, and an answer is never required of a
        line that takes none."""
        super().clean()
        errors = {}
        problem = choices_problem(datatype=self.datatype, values=self.values)
        if problem:
            errors["values"] = problem
        if self.required and not self.variable:
            errors["required"] = _("A line that takes no answer cannot be required.")
        if errors:
            raise ValidationError(errors)


def choices_problem(*, datatype: str, values) -> str:
    """What is wrong with `values` for this datatype, or "" when nothing is."""
    if datatype not in LIST_TYPES:
        return "" if values in (None, [], "") else _("Only a list question has choices; leave this empty.")
    if not isinstance(values, list) or not values:
        return _('A list question needs its choices: [{"key": "night", "name": "夜间", "name_en": "At night"}, …].')
    keys = set()
    for choice in values:
        if not isinstance(choice, dict) or not set(choice) <= set(CHOICE_FIELDS) or not {"key", "name"} <= set(choice):
            return _("Each choice is an object with a key and a name, and optionally name_en.")
        for field, limit in CHOICE_FIELDS.items():
            value = choice.get(field, "")
            if not isinstance(value, str) or len(value) > limit or (field != "name_en" and not value.strip()):
                return _("Choice “%(key)s” has a bad %(field)s.") % {"key": str(choice.get("key"))[:50], "field": field}
        if not CHOICE_KEY.match(choice["key"]):
            return _("The choice key “%(key)s” may hold only letters, digits, _ and -.") % {"key": choice["key"][:50]}
        if choice["key"] in keys:
            return _("The choice key “%(key)s” appears twice.") % {"key": choice["key"]}
        keys.add(choice["key"])
    return ""
