"""Blowing the whistle (吹哨) and reporting (报到) on the order page, and what the
page shows of them."""

from django.utils import timezone
from django.utils.translation import gettext as _

from dispatch.forms.whistle import WhistleForm, WhistleReportForm
from dispatch.selectors import OrderView, summoned_for, whistle_targets
from dispatch.services.whistle import whistle_blow, whistle_report
from dispatch.views.common import order_action
from portal.errors import ActionRefused


@order_action
def whistle(request, view: OrderView) -> str:
    if not view.can_act:
        # Before the form is read: only the lead's handlers may blow the whistle.
        raise ActionRefused(_("Only the unit handling this order can do that."))
    data = WhistleForm(request.POST).cleaned_or_refused()
    summoned = whistle_blow(
        user=request.user,
        assignment_id=view.assignment.pk,
        unit_ids=data["units"],
        message=data["message"],
        version=data["version"],
    )
    return _("Summoned: %(units)s.") % {"units": ", ".join(co.unit.name for co in summoned)}


@order_action
def whistle_report_view(request, view: OrderView) -> str:
    if view.co_handling is None:
        raise ActionRefused(_("Only a summoned unit reports."))
    data = WhistleReportForm(request.POST).cleaned_or_refused()
    whistle_report(user=request.user, assignment_id=view.co_handling.pk, note=data["note"], version=data["version"])
    return _("Reported. The lead unit can see it.")


def whistle_context(*, user, view: OrderView) -> dict:
    """The summoned units and their reports (for anyone who sees the order), the
    whistle form for the lead's handlers and the report form for a summoned unit."""
    lead = view.lead
    if lead is None:
        return {}
    now = timezone.now()
    summoned = summoned_for(lead=lead)
    for co in summoned:
        co.is_late = co.reported_at is None and co.report_due < now
        co.reported_late = co.reported_at is not None and co.reported_at > co.report_due
    context = {"summoned": summoned}
    if view.can_act and lead.is_active:
        targets = whistle_targets(lead=lead)
        if targets:
            context["whistle_form"] = WhistleForm(initial={"version": lead.version}, units=targets)
    if view.co_handling is not None:
        # The Assignment panel describes the order's lead; the summons has its own section.
        context["assignment"] = lead
        if view.can_report:
            context["whistle_report_form"] = WhistleReportForm(initial={"version": view.co_handling.version})
    return context
