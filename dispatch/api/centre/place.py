"""The 12345 centre confirms the street or community of an order the portal could
place only as far as its district; the order is then routed like any other."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from dispatch.api.centre.common import OrderStateSerializer, VersionedInputSerializer, order_state, parsed
from dispatch.api.handler.serializers import PlaceSerializer
from dispatch.selectors import order_get_for
from dispatch.services.place_confirm import complaint_confirm_place
from portal.api.schema import errors


class OrderPlaceApi(APIView):
    class InputSerializer(VersionedInputSerializer):
        region = serializers.CharField(max_length=20, help_text="The street's or community's division code (NBS).")
        other_district = serializers.BooleanField(
            required=False, default=False, help_text="The district filed was wrong: the place may be in another."
        )

        class Meta:
            ref_name = "CentrePlaceInput"

    class OutputSerializer(OrderStateSerializer):
        place = PlaceSerializer()
        place_to_confirm = serializers.BooleanField()

        class Meta:
            ref_name = "CentrePlaceConfirmed"

    @extend_schema(
        summary="Confirm an order's place",
        description=(
            "For an order flagged `place_to_confirm`. A new order is routed by the rules (or waits in triage if "
            "none fits), a returned one goes to a unit that has not returned it; a unit holding it keeps it."
        ),
        request=InputSerializer,
        responses={200: OutputSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request, tracking_number: str):
        view = order_get_for(user=request.user, tracking_number=tracking_number)
        data = parsed(self.InputSerializer, request)
        complaint = complaint_confirm_place(
            user=request.user,
            complaint_id=view.complaint.pk,
            region_code=data["region"],
            version=data["version"],
            other_district=data["other_district"],
        )
        state = order_state(complaint, place=complaint.region, place_to_confirm=complaint.place_to_confirm)
        return Response(self.OutputSerializer(state).data)
