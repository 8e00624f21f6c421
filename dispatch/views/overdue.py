from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from dispatch.selectors import overdue_for
from dispatch.views.common import paginate
from portal.errors import NotFound


@login_required
def overdue(request):
    """Overdue orders in the supervisor's subtree, longest overdue first. No
    residents' personal data: supervisors oversee units, not people."""
    try:
        assignments = overdue_for(user=request.user)
    except NotFound as exc:
        raise Http404 from exc
    page = paginate(request, assignments.select_related("complaint__region__parent"))
    return render(request, "dispatch/overdue.html", {"page": page, "now": timezone.now()})
