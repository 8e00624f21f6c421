"""The in-app list of deadline alerts. A person sees only their own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from dispatch.services.alerts_inbox import notifications_for, notifications_mark_read
from dispatch.views.common import paginate


@login_required
def notifications(request):
    page = paginate(request, notifications_for(user=request.user))
    return render(request, "dispatch/notifications.html", {"page": page})


@login_required
@require_POST
def notifications_read(request):
    marked = notifications_mark_read(user=request.user)
    if marked:
        messages.success(
            request,
            ngettext("%(n)d notification marked read.", "%(n)d notifications marked read.", marked) % {"n": marked},
        )
    else:
        messages.info(request, _("There was nothing unread."))
    return redirect("dispatch:notifications")
