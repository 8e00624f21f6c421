"""The personal data log's filters, from the query string."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from complaints.selectors.tracking import tracking_number_normal
from dispatch.forms.reports import ReportDayField
from dispatch.selectors.audit import AuditFilter


class PersonalDataLogForm(forms.Form):
    tracking_number = forms.CharField(label=_("Tracking number"), required=False, max_length=40)
    username = forms.CharField(label=_("Username"), required=False, max_length=150)
    since = ReportDayField(label=_("From"), required=False)
    until = ReportDayField(label=_("To"), required=False)

    def clean_tracking_number(self) -> str:
        number = tracking_number_normal(self.cleaned_data["tracking_number"].strip())
        if number and not number.isdigit():
            raise ValidationError(_("A tracking number has digits only."), code="invalid")
        return number

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip()

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", ValidationError(_("The end comes before the start."), code="order"))
        return data

    def filters(self) -> AuditFilter:
        """The filters typed; call after is_valid()."""
        data = self.cleaned_data
        return AuditFilter(
            tracking_number=data["tracking_number"],
            username=data["username"],
            since=data["since"],
            until=data["until"],
        )
