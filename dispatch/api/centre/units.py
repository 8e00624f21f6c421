"""The unit directory for staff: search active units by name or code."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.views import APIView

from dispatch.models import UnitKind
from dispatch.selectors.desk import unit_directory
from portal.api.pagination import PagePagination
from portal.api.schema import errors


class UnitListApi(APIView):
    pagination_class = PagePagination

    class FilterSerializer(serializers.Serializer):
        q = serializers.CharField(
            required=False, default="", allow_blank=True, max_length=120, help_text="Part of a unit's name or code."
        )

        class Meta:
            ref_name = "UnitSearchFilter"

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        code = serializers.CharField()
        name = serializers.CharField()
        kind = serializers.ChoiceField(choices=UnitKind.choices)
        kind_label = serializers.CharField(source="get_kind_display")

        class Meta:
            ref_name = "UnitFound"

    @extend_schema(
        summary="Search units",
        description=(
            "Active units in tree order, paginated; `q` narrows to names or codes containing it. "
            "For staff (anyone with a membership in a unit); 404 for anyone else."
        ),
        parameters=[FilterSerializer],
        responses={200: OutputSerializer(many=True), **errors(400, 401, 404)},
    )
    def get(self, request):
        query = self.FilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        units = unit_directory(user=request.user, q=query.validated_data["q"])
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(units, request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)
