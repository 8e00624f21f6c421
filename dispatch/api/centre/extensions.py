"""Requests for more time (延期) waiting for a decision, and deciding one: the 12345
centre decides any, a supervisor those of the units in their subtrees."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from dispatch.api.centre.common import parsed
from dispatch.api.handler.serializers import CategoryRefSerializer, UnitRefSerializer
from dispatch.models import ExtensionStatus
from dispatch.selectors.extensions import extensions_to_decide
from dispatch.services.extensions import extension_decide
from portal.api.pagination import PagePagination
from portal.api.schema import errors


class ExtensionListApi(APIView):
    pagination_class = PagePagination

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        tracking_number = serializers.CharField(source="assignment.complaint.tracking_number")
        category = CategoryRefSerializer(source="assignment.complaint.category")
        unit = UnitRefSerializer(source="assignment.unit", help_text="The accountable unit.")
        holder = UnitRefSerializer(source="assignment.holder", help_text="Who works it now.")
        resolve_due = serializers.DateTimeField(source="assignment.resolve_due", help_text="Due now.")
        requested_due = serializers.DateTimeField(help_text="Asked until.")
        reason = serializers.CharField()
        requested_at = serializers.DateTimeField()
        requested_by = serializers.CharField(source="requested_by.get_username", allow_null=True, default=None)
        own_request = serializers.SerializerMethodField(help_text="Asked by this user, who may not decide it.")

        class Meta:
            ref_name = "ExtensionToDecide"

        def get_own_request(self, extension) -> bool:
            return extension.requested_by_id == self.context["user"].pk

    @extend_schema(
        summary="Requests for more time to decide",
        description="Oldest first. 404 for anyone who decides none (neither the 12345 centre nor a supervisor).",
        responses={200: OutputSerializer(many=True), **errors(401, 404)},
    )
    def get(self, request):
        requests = extensions_to_decide(user=request.user)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(requests, request, view=self)
        data = self.OutputSerializer(page, many=True, context={"user": request.user}).data
        return paginator.get_paginated_response(data)


class ExtensionDecideApi(APIView):
    class InputSerializer(serializers.Serializer):
        approve = serializers.BooleanField(help_text="true approves, false refuses.")
        note = serializers.CharField(required=False, default="", allow_blank=True, max_length=1000)

        class Meta:
            ref_name = "ExtensionDecisionInput"

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        status = serializers.ChoiceField(choices=ExtensionStatus.choices)
        decided_at = serializers.DateTimeField()
        requested_due = serializers.DateTimeField()
        resolve_due = serializers.DateTimeField(
            source="assignment.resolve_due", help_text="The order's resolution due time after the decision."
        )

        class Meta:
            ref_name = "ExtensionDecided"

    @extend_schema(
        summary="Approve or refuse a request for more time",
        description="Never one's own request. Approval moves the resolution due time and tells the resident.",
        request=InputSerializer,
        responses={200: OutputSerializer, **errors(400, 401, 403, 404)},
    )
    def post(self, request, extension_id: int):
        data = parsed(self.InputSerializer, request)
        extension = extension_decide(
            user=request.user, extension_id=extension_id, approve=data["approve"], note=data["note"]
        )
        return Response(self.OutputSerializer(extension).data)
