"""Following and rating a complaint."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from complaints.forms.base import NewlineCharField, ResidentForm
from complaints.models import Satisfaction
from complaints.selectors.tracking import tracking_number_normal

MAX_COMMENT = 1000


class TrackForm(ResidentForm):
    tracking_number = forms.CharField(
        label=_("Tracking number"),
        max_length=40,
        error_messages={"required": _("Enter your tracking number.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone_last4 = forms.CharField(
        label=_("Last four digits of your phone"),
        max_length=4,
        validators=[RegexValidator(r"^\d{4}$", _("Enter the last four digits of your phone."))],
        error_messages={"required": _("Enter the last four digits of your phone.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 4}),
    )

    def clean_tracking_number(self) -> str:
        return tracking_number_normal(self.cleaned_data["tracking_number"])


class RatingForm(ResidentForm):
    solved = forms.TypedChoiceField(
        label=_("Is the problem solved?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Tell us whether the problem is solved.")},
    )
    satisfaction = forms.ChoiceField(
        label=_("How satisfied are you with how it was handled?"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how satisfied you are."),
            "invalid_choice": _("Choose how satisfied you are."),
        },
    )
    comment = NewlineCharField(
        label=_("Anything to add? (optional)"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
