"""Blowing the whistle (吹哨) and reporting (报到) on the order page, and what the
page shows of them."""

from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.selectors.labels import in_reader_language
from dispatch.forms.whistle import WhistleForm, WhistleReportForm
from dispatch.selectors import OrderView, order_summoned, report_state
from dispatch.selectors.actions import OrderActions, reporting_summons, whistling_lead
from dispatch.services.whistle import whistle_blow, whistle_report
from dispatch.views.common import order_action


@order_action
def whistle(request, view: OrderView) -> str:
    # Before the form is read: only the lead's handlers may blow the whistle.
    lead = whistling_lead(view)
    data = WhistleForm(request.POST).cleaned_or_refused()
    summoned = whistle_blow(
        user=request.user,
        assignment_id=lead.pk,
        unit_ids=data["units"],
        message=data["message"],
        version=data["version"],
    )
    separator = in_reader_language("、", ", ")
    return _("Summoned: %(units)s.") % {"units": separator.join(co.unit.name for co in summoned)}


@order_action
def whistle_report_view(request, view: OrderView) -> str:
    summons = reporting_summons(view)
    data = WhistleReportForm(request.POST).cleaned_or_refused()
    whistle_report(
        user=request.user,
        assignment_id=summons.pk,
        note=data["note"],
        version=data["version"],
        publish=data["publish"],
        public_line=data["public_line"],
    )
    return _("Reported. The lead unit can see it.")


def whistle_context(*, user, view: OrderView, actions: OrderActions) -> dict:
    """The summoned units and their reports (for anyone who sees the order), the
    whistle form for the lead's handlers and the report form for a summoned unit."""
    lead = view.lead
    if lead is None:
        return {}
    now = timezone.now()
    summoned = order_summoned(view=view)
    for co in summoned:
        state = report_state(co=co, now=now)
        co.is_late = state == "late"
        co.reported_late = state == "reported_late"
    context = {"summoned": summoned}
    if "whistle" in actions:
        context["whistle_form"] = WhistleForm(initial={"version": lead.version}, units=actions.whistle_targets)
    if view.co_handling is not None:
        # The Assignment panel describes the order's lead; the summons has its own section.
        context["assignment"] = lead
        if "whistle_report" in actions:
            context["whistle_report_form"] = WhistleReportForm(initial={"version": view.co_handling.version})
    return context
