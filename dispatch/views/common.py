"""What every desk view shares: the one door to an order, pagination, and the
way an action's refusal becomes a message."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from dispatch.selectors import OrderView, order_get_for
from portal.errors import ActionRefused, NotFound


def order_or_404(*, user, tracking_number: str) -> OrderView:
    try:
        return order_get_for(user=user, tracking_number=tracking_number)
    except NotFound as exc:
        raise Http404 from exc


def paginate(request, queryset) -> Page:
    """The requested page; a bad or out-of-range page number gives the nearest page."""
    return Paginator(queryset, settings.WHISTLE_PAGE_SIZE).get_page(request.GET.get("page"))


def order_action(func):
    """An order action: POST only, signed in, the order visible to the user (else
    404). `func(request, view)` returns the success message or raises a refusal;
    either way the user lands back on the order page (post/redirect/get)."""

    @login_required
    @require_POST
    @wraps(func)
    def wrapper(request, tracking_number):
        view = order_or_404(user=request.user, tracking_number=tracking_number)
        try:
            done = func(request, view)
        except ActionRefused as exc:
            messages.error(request, exc.message)
        except NotFound as exc:
            raise Http404 from exc
        else:
            messages.success(request, done)
        return redirect("dispatch:order", tracking_number=view.complaint.tracking_number)

    return wrapper
