from django.shortcuts import render

from dispatch.forms.reports import HotspotsForm
from dispatch.reports.hotspots import category_rises, street_rises
from dispatch.views.reports.common import report_page


@report_page
def report_hotspots(request, scope, now):
    form = HotspotsForm(request.GET, now=now)
    month = form.params()["month"]
    return render(
        request,
        "dispatch/reports/hotspots.html",
        {
            "form": form,
            "scope": scope,
            "month": month,
            "categories": category_rises(scope=scope, month=month),
            "streets": street_rises(scope=scope, month=month),
        },
    )
