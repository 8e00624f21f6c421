"""POST /api/v1/complaints/rate/: the resident's verdict on a resolved complaint
(or, for a merged one, on the result of the order it follows)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from complaints.api.common import BODY_ERRORS, ResidentApiView
from complaints.api.fields import TextField
from complaints.api.tracking import ProofSerializer, complaint_proven
from complaints.forms import MAX_COMMENT
from complaints.models import Satisfaction
from complaints.services.rating import complaint_rate_by_resident
from portal.api.schema import errors


class ComplaintRateApi(ResidentApiView):
    class InputSerializer(ProofSerializer):
        class Meta:
            ref_name = "ComplaintRateInput"

        solved = serializers.BooleanField(help_text="Is the problem solved?")
        satisfaction = serializers.ChoiceField(choices=Satisfaction.choices)
        comment = TextField(max_length=MAX_COMMENT, required=False, allow_blank=True, default="")

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ComplaintRated"

        tracking_number = serializers.CharField(source="complaint.tracking_number")
        status = serializers.CharField(
            source="complaint.status", help_text="`closed`; `reopened` when not satisfied; `merged` stays merged."
        )
        round = serializers.IntegerField()
        solved = serializers.BooleanField()
        satisfaction = serializers.CharField()
        created_at = serializers.DateTimeField()

    @extend_schema(
        operation_id="complaint_rate",
        summary="Rate a resolved complaint",
        description="Not satisfied reopens the complaint and sends it back to the unit. A merged complaint's "
        "resident rates the result of the order it follows, once. Rating before the result, or twice, is a 400 "
        "(`refused`); a wrong pair or unknown number is the tracking endpoint's 404.",
        tags=["resident"],
        request=InputSerializer,
        responses={201: OutputSerializer, **errors(400, 404, 429), **BODY_ERRORS},
    )
    def post(self, request):
        complaint, data = complaint_proven(request, self.InputSerializer)
        rating = complaint_rate_by_resident(
            complaint=complaint, solved=data["solved"], satisfaction=data["satisfaction"], comment=data["comment"]
        )
        return Response(self.OutputSerializer(rating).data, status=201)
