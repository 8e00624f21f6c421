from django.shortcuts import render

from dispatch.models import Unit
from dispatch.views.reports.common import report_page


@report_page
def report_index(request, scope, now):
    """The four reports, and whose part of the city they cover."""
    covered = [] if scope.city_wide else Unit.objects.filter(path__in=scope.paths).order_by("path")
    return render(request, "dispatch/reports/index.html", {"scope": scope, "covered": covered})
