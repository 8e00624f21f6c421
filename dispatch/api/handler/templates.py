"""The reply templates (常用语) offered on an order: the ones its contact, resolve
and return operations accept as `template`, the same the order page's pickers
list. For the unit handling the order, as those operations are."""

from functools import reduce
from operator import or_

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from dispatch.api.handler.common import order_for_lead_action
from dispatch.api.handler.orders import TRACKING_NUMBER
from dispatch.api.handler.serializers import CategoryRefSerializer, UnitRefSerializer
from dispatch.models import TemplatePurpose
from dispatch.selectors.reply_templates import order_templates
from portal.api.schema import errors


class OrderTemplatesApi(APIView):
    class FilterSerializer(serializers.Serializer):
        purpose = serializers.ChoiceField(choices=TemplatePurpose.choices, required=False, allow_blank=True)

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "OrderReplyTemplate"

        id = serializers.IntegerField(help_text="Send it as `template` with the operation of its `purpose`.")
        purpose = serializers.ChoiceField(choices=TemplatePurpose.choices)
        title = serializers.CharField()
        text = serializers.CharField()
        unit = UnitRefSerializer(allow_null=True, help_text="Whose template it is; null: the 12345 centre's.")
        category = CategoryRefSerializer(allow_null=True, help_text="Null: written for every category.")

    @extend_schema(
        operation_id="order_templates",
        summary="The reply templates offered on the order",
        description="The active templates of the unit holding the order, of the units above it and of the "
        "12345 centre, written for the order's category, its group or every category; by purpose, then title. "
        "`purpose` narrows them to one operation's (`contact`, `resolve`, `return`). "
        "404 when you may not see the order; 403 when you only read it.",
        parameters=[
            TRACKING_NUMBER,
            OpenApiParameter("purpose", str, enum=TemplatePurpose.values, description="Only this operation's."),
        ],
        responses={200: OutputSerializer(many=True), **errors(400, 401, 403, 404)},
    )
    def get(self, request, tracking_number: str):
        view = order_for_lead_action(user=request.user, tracking_number=tracking_number)
        query = self.FilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        wanted = query.validated_data.get("purpose")
        purposes = [wanted] if wanted else TemplatePurpose.values
        offered = reduce(or_, (order_templates(view=view, purpose=purpose) for purpose in purposes))
        templates = offered.select_related("unit", "category__parent").order_by("purpose", "title", "pk")
        return Response(self.OutputSerializer(templates, many=True).data)
