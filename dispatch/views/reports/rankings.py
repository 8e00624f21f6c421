from django.shortcuts import render
from django.utils.translation import gettext as _

from dispatch.forms.reports import RankingsForm
from dispatch.models import UnitKind
from dispatch.reports.formulas import current_weights, formula_texts
from dispatch.reports.rankings import unit_rankings
from dispatch.views.common import paginate
from dispatch.views.reports.common import chart_data, report_page


@report_page
def report_rankings(request, scope, now):
    form = RankingsForm(request.GET, now=now)
    params = form.params()
    rows = unit_rankings(scope=scope, kind=params["kind"], month=params["month"], now=now)
    page = paginate(request, rows)
    weights = current_weights()
    return render(
        request,
        "dispatch/reports/rankings.html",
        {
            "form": form,
            "scope": scope,
            "month": params["month"],
            "kind_label": UnitKind(params["kind"]).label,
            # Ranked in full (ranks are city- or district-wide), shown a page at a time:
            # a city has 7,535 communities.
            "page": page,
            "weights": weights,
            # The same sentences as the API and the transparency page (one source).
            "formulas": formula_texts(weights),
            # The rows of this page as bars: the same numbers as the table under it.
            "chart": chart_data(
                kind="bar",
                labels=[row.unit.name for row in page],
                series=[
                    (_("Response rate (%)"), [row.response_pct for row in page]),
                    (_("Resolution rate (%)"), [row.resolution_pct for row in page]),
                    (_("Satisfaction rate (%)"), [row.satisfaction_pct for row in page]),
                ],
            ),
        },
    )
