"""The supervisor's map and its two JSON feeds, and the order page's nearby orders.
Every feed is scoped like the page: a 404 for someone with no reports (or who may
not open the order), a 403 for a unit outside their reach, a 400 for bad filters."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dispatch.forms.reports import MapForm
from dispatch.reports.scope import report_scope_for
from dispatch.selectors import order_get_for
from dispatch.selectors.map import heat_cells, open_orders_by_street, open_orders_map, open_orders_near
from dispatch.views.reports.common import report_page
from portal.errors import ActionRefused, NotFound


@report_page
def report_map(request, scope, now):
    form = MapForm(request.GET, now=now)
    params = form.params()
    query = {"month": str(params["month"])}
    if params["category"] is not None:
        query["category"] = params["category"]
    if scope.unit:
        query["unit"] = scope.unit.pk
    return render(
        request,
        "dispatch/reports/map.html",
        {
            "form": form,
            "scope": scope,
            "month": params["month"],
            "query": urlencode(query),
            "streets": open_orders_by_street(scope=scope, category_id=params["category"], now=now),
        },
    )


def _json_feed(func):
    """`func(request, scope, params, now)` returns the payload; refusals and bad
    filters become JSON errors, never a page."""

    @login_required
    @require_GET
    @wraps(func)
    def wrapper(request):
        try:
            scope = report_scope_for(user=request.user, unit_id=request.GET.get("unit"))
        except NotFound:
            return JsonResponse({"error": _("Not found.")}, status=404)
        except ActionRefused as exc:
            return JsonResponse({"error": str(exc.message)}, status=403)
        now = timezone.now()
        form = MapForm(request.GET, now=now)
        if not form.is_valid():
            errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
            return JsonResponse({"error": _("Check the filters."), "errors": errors}, status=400)
        return JsonResponse(func(request, scope, form.params(), now))

    return wrapper


@_json_feed
def report_map_open(request, scope, params, now):
    points, truncated = open_orders_map(scope=scope, category_id=params["category"], now=now)
    return {
        "orders": [[p.latitude, p.longitude, p.urgency, p.tracking_number, p.category] for p in points],
        "truncated": truncated,
    }


@_json_feed
def report_map_heat(request, scope, params, now):
    return {
        "month": str(params["month"]),
        "cells": heat_cells(scope=scope, category_id=params["category"], month=params["month"]),
    }


@login_required
@require_GET
def order_nearby(request, tracking_number: str):
    """The order's pin and the open orders around it that the user may open."""
    try:
        view = order_get_for(user=request.user, tracking_number=tracking_number)
    except NotFound:
        return JsonResponse({"error": _("Not found.")}, status=404)
    complaint = view.complaint
    pin = None
    if complaint.latitude is not None and complaint.longitude is not None:
        pin = [float(complaint.latitude), float(complaint.longitude)]
    near = open_orders_near(user=request.user, complaint=complaint, now=timezone.now())
    return JsonResponse(
        {
            "pin": pin,
            "orders": [[p.latitude, p.longitude, p.urgency, p.tracking_number, p.category, p.distance_m] for p in near],
        }
    )
