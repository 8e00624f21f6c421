"""The 12345 centre merges a duplicate into another order, and undoes a merge."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from dispatch.api.centre.common import OrderStateSerializer, VersionedInputSerializer, order_state, parsed
from dispatch.selectors import order_get_for
from dispatch.services.merge import order_merge, order_unmerge
from portal.api.schema import errors

ERRORS = errors(400, 401, 403, 404, 409)


class OrderMergeApi(APIView):
    class InputSerializer(VersionedInputSerializer):
        version = serializers.IntegerField(min_value=1, help_text="This order's (the duplicate's) `version`.")
        lead = serializers.CharField(max_length=40, help_text="The tracking number of the order to merge into.")

        class Meta:
            ref_name = "CentreMergeInput"

    class OutputSerializer(OrderStateSerializer):
        merged_into = serializers.CharField(help_text="The lead order's tracking number.")

        class Meta:
            ref_name = "CentreMerged"

    @extend_schema(
        summary="Merge a duplicate into another order",
        description="The duplicate's live assignment is superseded; its resident follows the lead order.",
        request=InputSerializer,
        responses={200: OutputSerializer, **ERRORS},
    )
    def post(self, request, tracking_number: str):
        view = order_get_for(user=request.user, tracking_number=tracking_number)
        data = parsed(self.InputSerializer, request)
        follower = order_merge(
            user=request.user, follower_id=view.complaint.pk, lead_number=data["lead"], version=data["version"]
        )
        return Response(
            self.OutputSerializer(order_state(follower, merged_into=follower.merged_into.tracking_number)).data
        )


class OrderUnmergeApi(APIView):
    class InputSerializer(VersionedInputSerializer):
        class Meta:
            ref_name = "CentreUnmergeInput"

    class OutputSerializer(OrderStateSerializer):
        class Meta:
            ref_name = "CentreUnmerged"

    @extend_schema(
        summary="Undo a merge",
        description="The order is on its own again and waits in triage to be dispatched.",
        request=InputSerializer,
        responses={200: OutputSerializer, **ERRORS},
    )
    def post(self, request, tracking_number: str):
        view = order_get_for(user=request.user, tracking_number=tracking_number)
        data = parsed(self.InputSerializer, request)
        follower = order_unmerge(user=request.user, follower_id=view.complaint.pk, version=data["version"])
        return Response(self.OutputSerializer(order_state(follower)).data)
