"""Forms for asking for more time, deciding on it, and changing an order's
priority. They parse; the services decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.models import Priority
from dispatch.forms import INTERNAL, ActionForm, VersionedForm

# What a datetime-local input sends, and what a person types without one.
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]


class ExtensionRequestForm(VersionedForm):
    requested_due = forms.DateTimeField(
        label=_("New resolution time"),
        input_formats=DATETIME_FORMATS,
        error_messages={
            "required": _("Give the new date and time."),
            "invalid": _("Enter the date and time as YYYY-MM-DD HH:MM."),
        },
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    # Not required here: the service says what is missing, the same from every door.
    reason = forms.CharField(
        label=_("Why more time is needed"),
        required=False,
        help_text=INTERNAL,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("Waiting for the owners' meeting on the 15th")}),
    )


class ExtensionDecisionForm(ActionForm):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("refuse", _("Refuse"))],
        error_messages={
            "required": _("Choose approve or refuse."),
            "invalid_choice": _("Choose approve or refuse."),
        },
    )
    # An approval tells the resident the new time; the note stays with staff either way.
    note = forms.CharField(label=_("Note"), required=False, help_text=INTERNAL, widget=forms.TextInput())


class PriorityForm(VersionedForm):
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=Priority.choices,
        error_messages={
            "required": _("Choose a priority: urgent, ordinary or complex."),
            "invalid_choice": _("Choose a priority: urgent, ordinary or complex."),
        },
    )
