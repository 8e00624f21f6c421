"""Reference data, read-only and public: the place tree and the categories with
their extra questions. Every list costs the same few queries however long it is."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from complaints.api.common import ResidentApiView
from complaints.selectors.reference import (
    category_get,
    category_tree,
    place_ancestors,
    place_get,
    place_name,
    places_under,
)
from complaints.services.questions import questions_for
from portal.api.pagination import PagePagination
from portal.api.schema import errors


class PlaceSerializer(serializers.Serializer):
    class Meta:
        ref_name = "Place"

    code = serializers.CharField(help_text="The National Bureau of Statistics division code.")
    name = serializers.SerializerMethodField(
        help_text="The place's name: a community's, not its committee's (多福巷社区, not 多福巷社区居委会)."
    )
    level = serializers.CharField(help_text="district, street or community (city for the root).")
    parent = serializers.CharField(source="parent.code", allow_null=True, default=None)

    def get_name(self, region) -> str:
        return place_name(region=region)


class PlaceListApi(ResidentApiView):
    pagination_class = PagePagination

    class OutputSerializer(PlaceSerializer):
        class Meta:
            ref_name = "PlaceListed"

        has_children = serializers.BooleanField(help_text="There are places one level below.")

    @extend_schema(
        operation_id="places_list",
        summary="Places one level below a parent",
        description="No `parent`: Beijing's districts. A district's code: its streets and townships; a street's: "
        "its communities and villages.",
        tags=["reference"],
        parameters=[
            OpenApiParameter("parent", OpenApiTypes.STR, description="A place's code; an unknown one is a 404."),
        ],
        responses={200: OutputSerializer(many=True), **errors(404, 429)},
    )
    def get(self, request):
        parent = request.query_params.get("parent", "").strip()[:20] or None
        rows = places_under(parent_code=parent)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)


class PlaceDetailApi(ResidentApiView):
    class OutputSerializer(PlaceSerializer):
        class Meta:
            ref_name = "PlaceDetail"

        path = serializers.SerializerMethodField(help_text="The places above it, outermost first (below the city).")

        def get_path(self, region) -> list[dict]:
            return PlaceSerializer(place_ancestors(region), many=True).data

    @extend_schema(
        operation_id="places_read",
        summary="A place",
        tags=["reference"],
        parameters=[OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH)],
        responses={200: OutputSerializer, **errors(404, 429)},
    )
    def get(self, request, code: str):
        return Response(self.OutputSerializer(place_get(code=code[:20])).data)


class CategoryFields(serializers.Serializer):
    class Meta:
        ref_name = "CategoryBrief"

    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    description = serializers.CharField(help_text="A hint for residents.")
    default_priority = serializers.CharField(source="effective_priority", help_text="urgent, normal or complex.")


class SubCategorySerializer(CategoryFields):
    class Meta:
        ref_name = "SubCategory"

    asks_questions = serializers.BooleanField(help_text="It asks extra questions: read them at its own URL.")


class CategoryListApi(ResidentApiView):
    class OutputSerializer(CategoryFields):
        class Meta:
            ref_name = "CategoryWithChildren"

        children = SubCategorySerializer(
            many=True, help_text="The active sub-categories: complaints name one of these."
        )

    @extend_schema(
        operation_id="categories_list",
        summary="The categories, two levels",
        description="Groups with their active sub-categories; a complaint is filed under a sub-category's `id`.",
        tags=["reference"],
        responses={200: OutputSerializer(many=True), **errors(429)},
    )
    def get(self, request):
        return Response(self.OutputSerializer(category_tree(), many=True).data)


class ChoiceSerializer(serializers.Serializer):
    class Meta:
        ref_name = "QuestionChoice"

    key = serializers.CharField(help_text="What the answer stores.")
    name = serializers.CharField()
    name_en = serializers.CharField(default="")


class QuestionSerializer(serializers.Serializer):
    class Meta:
        ref_name = "Question"

    code = serializers.CharField(help_text="The key of its answer in `answers`.")
    prompt = serializers.CharField()
    prompt_en = serializers.CharField()
    datatype = serializers.CharField(
        help_text="string, number, datetime, text, singlevaluelist or multivaluelist (Open311's datatypes)."
    )
    variable = serializers.BooleanField(help_text="False: a line to read that takes no answer.")
    required = serializers.BooleanField()
    datatype_description = serializers.CharField(help_text="A hint for the answer.")
    order = serializers.IntegerField()
    values = ChoiceSerializer(many=True, help_text="A list question's choices; empty otherwise.")


class CategoryDetailApi(ResidentApiView):
    class OutputSerializer(CategoryFields):
        class Meta:
            ref_name = "CategoryDetail"

        group = CategoryFields(source="parent", allow_null=True, help_text="The group; null for a group itself.")
        questions = serializers.SerializerMethodField(
            help_text="Its extra questions, the group's first; answer them in `answers` when filing."
        )

        def get_questions(self, category) -> list[dict]:
            return QuestionSerializer(questions_for(category=category), many=True).data

    @extend_schema(
        operation_id="categories_read",
        summary="A category and its extra questions",
        tags=["reference"],
        parameters=[OpenApiParameter("category_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={200: OutputSerializer, **errors(404, 429)},
    )
    def get(self, request, category_id: int):
        return Response(self.OutputSerializer(category_get(pk=category_id)).data)
