"""What every report page shares: the scope from the user and `?unit=`, the clock,
and the refusal page when the unit asked for is not the user's to see."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from dispatch.reports.scope import report_scope_for
from portal.errors import ActionRefused, NotFound


def report_page(func):
    """`func(request, scope, now)`. Someone with no reports gets a 404 (as for any
    page they cannot see); a unit outside their reach gets a 403 that says so,
    and no numbers."""

    @login_required
    @wraps(func)
    def wrapper(request):
        try:
            scope = report_scope_for(user=request.user, unit_id=request.GET.get("unit"))
        except NotFound as exc:
            raise Http404 from exc
        except ActionRefused as exc:
            return render(request, "dispatch/reports/refused.html", {"message": exc.message}, status=403)
        return func(request, scope, timezone.now())

    return wrapper


def chart_data(*, kind: str, labels: list[str], series: list[tuple[str, list]]) -> dict:
    """What static/js/reports.js draws: one Chart.js chart, from data also in the page's table."""
    return {"type": kind, "labels": labels, "datasets": [{"label": str(name), "data": data} for name, data in series]}
