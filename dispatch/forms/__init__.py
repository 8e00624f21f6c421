"""The desk's small action forms. They render the inputs and parse the POST; the
services decide whether the action is allowed and check the texts, so a refusal
reads the same from every door."""

from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.forms.intake import PhotosField
from dispatch.forms.rendering import DeskFormRenderer
from dispatch.forms.reply_templates import TemplatePickerMixin
from portal.errors import ActionRefused, ChangedBySomeoneElse

TEXT_ROWS = 3
# Said next to every field whose text goes on the order's timeline, so staff know
# who will read what they type (complaints.timeline.facts decides; these say it).
RESIDENT_SEES = _("The resident sees this.")
INTERNAL = _("Internal: the resident does not see this.")


class ActionForm(forms.Form):
    # The order page shows a dozen of these forms' inputs: written out in Python.
    default_renderer = DeskFormRenderer

    def cleaned_or_refused(self) -> dict:
        """The cleaned data, or the refusal the user is shown. A missing or mangled
        version counts as a stale one: the form cannot prove it is fresh."""
        if self.is_valid():
            return self.cleaned_data
        if "version" in self.errors:
            raise ChangedBySomeoneElse()
        first_error = next(iter(self.errors.values()))[0]
        raise ActionRefused(first_error)


class VersionedForm(ActionForm):
    """Carries the version the page was loaded with."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


def _text(label, placeholder, help_text=""):
    # Not required here: the service refuses an empty text with a message that says what is missing.
    return forms.CharField(
        label=label,
        required=False,
        strip=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": TEXT_ROWS, "placeholder": placeholder}),
    )


class AcceptForm(VersionedForm):
    pass


class ContactForm(TemplatePickerMixin, VersionedForm):
    template_target = "note"
    note = _text(_("How was the resident contacted?"), _("Phoned at 10:20, will visit this afternoon"), INTERNAL)


class NoteForm(ActionForm):
    # No version: a note changes no state, so it never collides with a colleague's action.
    note = _text(_("Internal note"), _("Seen by staff only"), INTERNAL)


class ResolveForm(TemplatePickerMixin, VersionedForm):
    template_target = "reply"
    reply = _text(_("Reply to the resident"), _("What was done"), RESIDENT_SEES)
    # Checked by content in the photo service; the resident sees them with the reply.
    photos = PhotosField(
        label=_("Photos of the work done (optional, up to 4)"), required=False, help_text=RESIDENT_SEES
    )


class HandDownForm(VersionedForm):
    community = forms.TypedChoiceField(label=_("Community"), coerce=int)

    def __init__(self, *args, communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = [(unit.pk, unit.name) for unit in communities]
        self.fields["community"].error_messages["invalid_choice"] = _("Choose a community of this street.")
        self.fields["community"].error_messages["required"] = _("Choose a community of this street.")


class DispatchForm(VersionedForm):
    unit = forms.CharField(
        label=_("Unit (code or name)"),
        max_length=120,
        error_messages={"required": _("Choose the unit to dispatch to.")},
        widget=forms.TextInput(attrs={"list": "unit-suggestions", "autocomplete": "off"}),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, help_text=INTERNAL)
