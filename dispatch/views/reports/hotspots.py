from django.shortcuts import render

from dispatch.forms.reports import HotspotsForm
from dispatch.reports.hotspots import hot_spots
from dispatch.views.reports.common import report_page


@report_page
def report_hotspots(request, scope, now):
    form = HotspotsForm(request.GET, now=now)
    month = form.params()["month"]
    spots = hot_spots(scope=scope, month=month)
    return render(
        request,
        "dispatch/reports/hotspots.html",
        {
            "form": form,
            "scope": scope,
            "month": month,
            "categories": spots.categories,
            "streets": spots.streets,
        },
    )
