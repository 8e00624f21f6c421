from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from dispatch.models import UnitKind
from dispatch.selectors.desk import handler_units_with_open_counts
from portal.api.schema import errors


class MyUnitsApi(APIView):
    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "HandlerUnit"

        id = serializers.IntegerField()
        code = serializers.CharField()
        name = serializers.CharField()
        kind = serializers.ChoiceField(choices=UnitKind.choices)
        open_count = serializers.IntegerField(help_text="Open orders it is accountable for or holds.")

    @extend_schema(
        operation_id="units_mine",
        summary="Your handler units, with their open orders",
        description="Each unit's queue is at `/api/v1/units/{id}/queue/`. Empty for someone who handles no unit.",
        responses={200: OutputSerializer(many=True), **errors(401)},
    )
    def get(self, request):
        units = handler_units_with_open_counts(user=request.user)
        return Response(self.OutputSerializer(units, many=True).data)
