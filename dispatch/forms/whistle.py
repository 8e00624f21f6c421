"""Forms for blowing the whistle (吹哨) and for a summoned unit's report. As with
the other desk forms, the service decides who may be summoned and refuses a bad
unit by name, so the unit list is offered here but not enforced."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dispatch.forms import INTERNAL, RESIDENT_SEES, TEXT_ROWS, VersionedForm
from dispatch.models import UnitKind

NO_UNIT = _("Choose at least one department or utility to summon.")


class UnitIdsField(forms.MultipleChoiceField):
    """Unit ids, checked by the service (which names the unit it refuses)."""

    def to_python(self, value):
        try:
            return [int(v) for v in super().to_python(value)]
        except (TypeError, ValueError) as error:
            raise forms.ValidationError(NO_UNIT) from error

    def valid_value(self, value):
        return True


class WhistleForm(VersionedForm):
    units = UnitIdsField(
        label=_("Summon"),
        error_messages={"required": NO_UNIT},
        help_text=_("Tick every department or utility that must report. The resident sees which units were summoned."),
        widget=forms.CheckboxSelectMultiple,
    )
    message = forms.CharField(
        label=_("What is needed"),
        required=False,
        help_text=INTERNAL,
        widget=forms.Textarea(
            attrs={"rows": TEXT_ROWS, "placeholder": _("Come to the site by 15:00 to inspect the works")}
        ),
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        departments = [(unit.pk, unit.name) for unit in units if unit.kind != UnitKind.UTILITY]
        utilities = [(unit.pk, unit.name) for unit in units if unit.kind == UnitKind.UTILITY]
        groups = [(_("Departments"), departments), (_("Utilities"), utilities)]
        self.fields["units"].choices = [(label, choices) for label, choices in groups if choices]


class WhistleReportForm(VersionedForm):
    note = forms.CharField(
        label=_("What has your unit done?"),
        required=False,
        help_text=INTERNAL,
        widget=forms.Textarea(
            attrs={"rows": TEXT_ROWS, "placeholder": _("Arrived on site at 14:40; the works are stopped")}
        ),
    )
    # A report is internal by default: it is written for the lead unit and may name
    # people the resident should not read about. Publishing adds a line of its own.
    publish = forms.BooleanField(
        label=_("Also tell the resident that your unit has reported"),
        required=False,
        help_text=RESIDENT_SEES,
    )
    public_line = forms.CharField(
        label=_("Line for the resident (optional)"),
        required=False,
        max_length=500,
        help_text=_("Shown to the resident only when the box above is ticked."),
        error_messages={"max_length": _("Keep the line for the resident under 500 characters.")},
        widget=forms.TextInput(attrs={"placeholder": _("The water supply company has inspected the pipe.")}),
    )
