"""The public transparency page (/open/) and its JSON twin (/open/data.json).

No login: the numbers are public by construction (dispatch.reports.public). A
bad month or district never fails: the page says what was wrong, answers 400
and shows the city for the current month instead; the JSON twin answers 400 with
the errors and no numbers, as a machine should not mistake a fallback for its answer.
"""

from urllib.parse import urlencode

from django import forms
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from dispatch.reports.formulas import current_weights, formula_texts
from dispatch.reports.periods import Month
from dispatch.reports.public import CACHE_SECONDS, TransparencyReport, available_months, transparency_report
from dispatch.views.reports.common import chart_data
from portal.errors import NotFound


class TransparencyForm(forms.Form):
    month = forms.ChoiceField(
        label=gettext_lazy("Month"),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy(
                "There are no figures for that month here: choose the current month or one of the 12 before it."
            )
        },
    )
    district = forms.RegexField(
        label=gettext_lazy("District"),
        regex=r"^[0-9]{6}$",
        required=False,
        error_messages={"invalid": gettext_lazy("A district is given by its six-digit division code.")},
    )

    def __init__(self, data, *, months: list[Month]):
        super().__init__(data)
        self.months = months
        self.fields["month"].choices = [(str(m), str(m)) for m in months]

    def month_value(self) -> Month:
        value = self.cleaned_data.get("month") if self.is_valid() else None
        return Month.parse(value) if value else self.months[0]

    def district_value(self) -> str | None:
        return (self.cleaned_data.get("district") or None) if self.is_valid() else None


UNKNOWN_DISTRICT = gettext_lazy("There is no district with that code. Choose one from the list.")


def _report(request, now) -> tuple[TransparencyForm, TransparencyReport | None]:
    """The form, and the report it asks for (None when the input is bad)."""
    form = TransparencyForm(request.GET, months=available_months(now=now))
    if not form.is_valid():
        return form, None
    try:
        report = transparency_report(month=form.month_value(), district_code=form.district_value(), now=now)
    except NotFound:
        form.add_error("district", UNKNOWN_DISTRICT)
        return form, None
    return form, report


@require_safe
def transparency(request):
    now = timezone.now()
    form, report = _report(request, now)
    status = 200
    if report is None:
        status = 400
        report = transparency_report(month=form.months[0], now=now)
    return render(request, "public/transparency.html", _context(report, form=form), status=status)


@require_safe
def transparency_data(request):
    now = timezone.now()
    form, report = _report(request, now)
    if report is None:
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        return JsonResponse({"error": _("Check the month and the district."), "errors": errors}, status=400)
    response = JsonResponse(report.as_data(), json_dumps_params={"ensure_ascii": False})
    # Cached here at most CACHE_SECONDS; an HTTP cache may keep it only for what is left of that.
    age = int((now - report.computed_at).total_seconds())
    patch_cache_control(response, public=True, max_age=max(0, CACHE_SECONDS - age))
    return response


def _query(report: TransparencyReport, **changes) -> str:
    params = {"month": str(report.month), "district": report.district.code if report.district else ""}
    params.update(changes)
    return urlencode({key: value for key, value in params.items() if value})


def _context(report: TransparencyReport, *, form: TransparencyForm) -> dict:
    base = reverse("public:transparency")
    names = {d.code: d.name for d in report.districts}
    if report.district:
        chart_rows = [(s.name, s.figures) for s in report.streets]
    else:
        chart_rows = [(d.name, d.figures) for d in report.districts]
    return {
        "report": report,
        "form": form,
        "errors": [str(e) for errs in form.errors.values() for e in errs],
        "months": form.months,
        "is_current": report.month == form.months[0],
        "data_url": f"{reverse('public:transparency_data')}?{_query(report)}",
        "city_url": f"{base}?{_query(report, district='')}",
        "district_rows": [(d, f"{base}?{_query(report, district=d.code)}") for d in report.districts],
        "street_rows": [(s, names.get(s.district_code, "")) for s in report.streets],
        "formulas": formula_texts(current_weights()),
        "rates_chart": chart_data(
            kind="bar",
            labels=[name for name, _figures in chart_rows],
            series=[
                (_("Response rate (%)"), [f.response_pct for _name, f in chart_rows]),
                (_("Resolution rate (%)"), [f.resolution_pct for _name, f in chart_rows]),
                (_("Satisfaction rate (%)"), [f.satisfaction_pct for _name, f in chart_rows]),
            ],
        ),
        "categories_chart": chart_data(
            kind="bar",
            labels=[c.label for c in report.categories],
            series=[(_("Orders received"), [c.received for c in report.categories])],
        ),
        "map_data": {
            "districts": [
                {
                    "code": d.code,
                    "name": d.name,
                    "received": d.figures.received,
                    "url": f"{base}?{_query(report, district=d.code)}",
                }
                for d in report.districts
            ],
            "selected": report.district.code if report.district else None,
        },
    }
