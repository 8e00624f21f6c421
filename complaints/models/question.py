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
