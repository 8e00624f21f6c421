from django.shortcuts import render
from django.utils.translation import gettext as _

from dispatch.forms.reports import TrendsForm
from dispatch.reports.breakdown import received_breakdown
from dispatch.reports.rollup.days import report_day_split
from dispatch.reports.trends import trend_rows
from dispatch.views.reports.common import chart_data, report_page


@report_page
def report_trends(request, scope, now):
    form = TrendsForm(request.GET, now=now)
    params = form.params()
    first, last = params["from"], params["to"]
    split = report_day_split(paths=scope.paths, first=first, last=last, now=now)
    rows = trend_rows(scope=scope, first=first, last=last, by=params["by"], now=now, split=split)
    chart = chart_data(
        kind="line",
        labels=[row.label for row in rows],
        series=[
            (_("Orders in"), [row.orders_in for row in rows]),
            (_("Resolved by the unit"), [row.closed for row in rows]),
            (_("Deadlines missed"), [row.missed for row in rows]),
        ],
    )
    breakdown = received_breakdown(scope=scope, first=first, last=last, now=now, split=split)
    return render(
        request,
        "dispatch/reports/trends.html",
        {"form": form, "scope": scope, "params": params, "rows": rows, "chart": chart, "breakdown": breakdown},
    )
