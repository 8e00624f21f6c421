from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from dispatch.access import reach_of
from dispatch.selectors.desk import handler_units_with_open_counts


@login_required
def home(request):
    """Send each person where their work is: their unit's queue, the list of their
    units, the triage queue, the hotline desk or the overdue report."""
    reach = reach_of(request.user)
    if len(reach.handler_unit_ids) == 1:
        (unit_id,) = reach.handler_unit_ids
        return redirect("dispatch:queue", unit_id=unit_id)
    if reach.handler_unit_ids:
        units = handler_units_with_open_counts(user=request.user)
        return render(request, "dispatch/home.html", {"units": units})
    if reach.is_dispatcher:
        return redirect("dispatch:triage")
    if reach.is_operator:
        return redirect("dispatch:hotline")
    if reach.supervised_paths:
        return redirect("dispatch:overdue")
    return render(request, "dispatch/no_role.html")
