"""The report pages' GET parameters. Every field has a default; a bad value shows
its error next to the field and the default is used in its place, so a report
page always shows numbers and never fails on what was typed in the address bar."""

from datetime import datetime, timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from complaints.models import Category, Channel, DemandType
from complaints.selectors.labels import in_reader_language
from dispatch.models import UnitKind
from dispatch.reports.overdue import DEFAULT_SORT, SORTS
from dispatch.reports.periods import FIRST_DAY, LAST_DAY, Month, beijing_today
from dispatch.reports.rankings import RANKED_KINDS
from dispatch.reports.trends import BY_DAY, BY_WEEK

TRENDS_DEFAULT_DAYS = 30


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month", "pattern": r"\d{4}-\d{2}", "placeholder": "2026-11"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        month = Month.parse(value)
        if month is None:
            raise ValidationError(_("Enter a month as YYYY-MM, for example 2026-11."), code="invalid")
        return month


class ReportDayField(forms.DateField):
    """A day within the years reports cover; 9999-12-31 is a date, not a report period."""

    widget = forms.DateInput(attrs={"type": "date", "min": str(FIRST_DAY), "max": str(LAST_DAY)}, format="%Y-%m-%d")

    def validate(self, value):
        super().validate(value)
        if value and not FIRST_DAY <= value <= LAST_DAY:
            raise ValidationError(
                _("Choose a day between %(first)s and %(last)s."),
                code="out_of_range",
                params={"first": FIRST_DAY, "last": LAST_DAY},
            )


class ReportForm(forms.Form):
    """Bound to the query string with each missing parameter filled by its default,
    so the inputs show what the report is using."""

    def __init__(self, data, *, now: datetime):
        self.now = now
        given = {key: value for key, value in data.items() if value.strip()}
        super().__init__({**self.initial_values(), **given})

    def defaults(self) -> dict:
        raise NotImplementedError

    def initial_values(self) -> dict:
        return {key: str(value) for key, value in self.defaults().items()}

    def params(self) -> dict:
        """The cleaned values, each invalid one replaced by its default."""
        self.is_valid()
        defaults = self.defaults()
        return {name: self.cleaned_data.get(name) or default for name, default in defaults.items()}

    def checked_params(self) -> dict:
        """The cleaned values, or a ValidationError naming every bad parameter: the
        API's answer, where a page would quietly fall back to the defaults."""
        if not self.is_valid():
            raise ValidationError(self.errors.as_data())
        return self.params()


class OverdueForm(ReportForm):
    sort = forms.ChoiceField(label=_("Sort by"), choices=[(key, key) for key in SORTS], widget=forms.HiddenInput)
    demand_type = forms.ChoiceField(
        label=_("Demand type"), choices=[("", _("Any")), *DemandType.choices], required=False
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=[("", _("Any")), *Channel.choices], required=False)

    def defaults(self) -> dict:
        return {"sort": DEFAULT_SORT, "demand_type": "", "channel": ""}


class RankingsForm(ReportForm):
    month = MonthField(label=_("Month"))
    kind = forms.ChoiceField(label=_("Units"), choices=[(k.value, k.label) for k in RANKED_KINDS])

    def defaults(self) -> dict:
        return {"month": Month.containing(self.now), "kind": UnitKind.STREET_OFFICE.value}


class HotspotsForm(ReportForm):
    month = MonthField(label=_("Month"))

    def defaults(self) -> dict:
        return {"month": Month.containing(self.now)}


class TrendsForm(ReportForm):
    by = forms.ChoiceField(label=_("Per"), choices=[(BY_DAY, _("day")), (BY_WEEK, _("week"))])

    def __init__(self, data, *, now: datetime):
        super().__init__(data, now=now)
        # "from" is a Python keyword, so these two are added here rather than declared.
        self.fields["from"] = ReportDayField(label=_("From"))
        self.fields["to"] = ReportDayField(label=_("To"))
        self.order_fields(["from", "to", "by"])

    def defaults(self) -> dict:
        today = beijing_today(self.now)
        return {"from": today - timedelta(days=TRENDS_DEFAULT_DAYS - 1), "to": today, "by": BY_DAY}

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("from"), cleaned.get("to")
        if first and last:
            if first > last:
                raise ValidationError(_("The range must start on or before the day it ends."), code="reversed")
            if (last - first).days + 1 > settings.WHISTLE_TRENDS_MAX_DAYS:
                limit = settings.WHISTLE_TRENDS_MAX_DAYS
                raise ValidationError(_("Choose at most %(days)d days."), code="too_long", params={"days": limit})
        return cleaned

    def params(self) -> dict:
        params = super().params()
        if self.non_field_errors() or "from" in self.errors or "to" in self.errors:
            # Half a range could be reversed or too long: a refused range falls back whole.
            defaults = self.defaults()
            params["from"], params["to"] = defaults["from"], defaults["to"]
        return params


class MapForm(ReportForm):
    month = MonthField(label=_("Month"))
    category = forms.TypedChoiceField(label=_("Category group"), coerce=int, required=False, empty_value=None)

    def __init__(self, data, *, now: datetime):
        super().__init__(data, now=now)
        groups = Category.objects.filter(parent__isnull=True).order_by("code")
        self.fields["category"].choices = [("", _("All categories"))] + [
            (group.pk, in_reader_language(group.name, group.name_en)) for group in groups
        ]

    def defaults(self) -> dict:
        return {"month": Month.containing(self.now), "category": None}

    def initial_values(self) -> dict:
        return {"month": str(self.defaults()["month"])}
