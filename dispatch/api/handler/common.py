"""The doors every handler action goes through: the order as this user may see it
(404 when they may not), and who may try an action at all (403 for those who
only read it: supervisors, the 12345 centre, a unit summoned to help). Whether
the order's state allows the action is the service's to say (400, or 409 when
the version is stale)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from dispatch.api.handler.orders import TRACKING_NUMBER, OrderSerializer, order_response
from dispatch.selectors import OrderView, order_get_for
from dispatch.selectors.actions import lead_action_allowed, reporting_summons
from portal.api.schema import errors
from portal.errors import NotFound


def order_for_lead_action(*, user, tracking_number: str) -> OrderView:
    """The order, for an action of the unit handling it (sign for, contact, …)."""
    view = order_get_for(user=user, tracking_number=tracking_number)
    lead_action_allowed(view)
    return view


def order_for_report(*, user, tracking_number: str) -> OrderView:
    """The order, for the report of a unit summoned to it."""
    view = order_get_for(user=user, tracking_number=tracking_number)
    reporting_summons(view)
    return view


class ActionResultSerializer(serializers.Serializer):
    class Meta:
        ref_name = "OrderActionResult"

    detail = serializers.CharField(help_text="What was done, in the reader's language.")
    order = OrderSerializer(
        allow_null=True,
        help_text="The order as it is now; null when the action took it out of your reach "
        "(a community handing it up to its street).",
    )


class VersionedInput(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, help_text="The assignment's `version` as last read; a stale one gets 409 and changes nothing."
    )


def template_field(purpose: str):
    """The optional reply template (常用语) an action's text may come from."""
    return serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text=f"A reply template's `id` from the order's `templates/?purpose={purpose}`: its text is used when "
        "the text field is empty (what you type wins). Another unit's template, or one for another purpose or "
        "category, is a 400 on `template` and changes nothing.",
    )


def parsed(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def action_done(request, *, tracking_number: str, detail: str) -> Response:
    """200 with what was done and the order re-read, as the page reloads it."""
    try:
        view = order_get_for(user=request.user, tracking_number=tracking_number)
    except NotFound:
        order = None
    else:
        order = order_response(user=request.user, view=view)
    return Response({"detail": detail, "order": order})


def action_schema(*, operation_id: str, summary: str, request, description: str = "", refusals: tuple = ()):
    """The schema of an order action: its input, the result, and every refusal
    (`refusals` adds codes only some actions give, such as 413 for photos)."""
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        description=(description + "\n\n" + REFUSALS).strip(),
        parameters=[TRACKING_NUMBER],
        request=request,
        responses={200: ActionResultSerializer, **errors(400, 401, 403, 404, 409, *refusals)},
    )


REFUSALS = (
    "Refusals: 404 when you may not see the order (whether or not it exists); 403 when you only read it "
    "(a supervisor, the 12345 centre, or a summoned unit for the lead's actions); 400 `refused` when the "
    "order's state does not allow it now, 400 `invalid` when a field is missing or wrong; 409 `changed` "
    "when `version` is stale. Nothing changes on any refusal."
)
