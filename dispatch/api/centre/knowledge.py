"""The 12345 centre's knowledge base (知识库) over the API: search, read, write and
edit articles, through the same selectors and services as the desk pages. To
anyone outside the centre these endpoints answer 404."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from complaints.models import Category
from dispatch.api.centre.common import parsed
from dispatch.selectors.knowledge import (
    QUERY_MAX_LENGTH,
    article_get_for,
    article_search,
    article_versions,
    knowledge_editor_check,
    knowledge_reader_check,
)
from dispatch.services.knowledge import ArticleInput, article_create, article_update
from portal.api.schema import errors


class KnowledgeCategorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()

    class Meta:
        ref_name = "KnowledgeCategory"


class ArticleSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    answer = serializers.CharField()
    categories = KnowledgeCategorySerializer(many=True, source="categories.all")
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True, help_text="Null: no end date.")
    source_document = serializers.CharField()
    source_url = serializers.CharField()
    version = serializers.IntegerField(help_text="Send it with the next edit; a stale one is refused with 409.")
    use_count = serializers.IntegerField(help_text="How many answers were given from it.")
    last_used_at = serializers.DateTimeField(allow_null=True)
    is_archived = serializers.BooleanField()
    valid_today = serializers.SerializerMethodField(help_text="Valid today (Beijing) and not archived.")

    class Meta:
        ref_name = "KnowledgeArticle"

    def get_valid_today(self, article) -> bool:
        return article.is_valid_on(timezone.localdate())


class ArticleInputSerializer(serializers.Serializer):
    """What an editor sends; lengths, dates and categories are checked by the service."""

    title = serializers.CharField(allow_blank=True, trim_whitespace=False)
    answer = serializers.CharField(allow_blank=True, trim_whitespace=False)
    category_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list, max_length=50
    )
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(required=False, allow_null=True, default=None)
    source_document = serializers.CharField(required=False, default="", allow_blank=True)
    source_url = serializers.CharField(required=False, default="", allow_blank=True)

    class Meta:
        ref_name = "KnowledgeArticleInput"


def _article_input(data: dict) -> ArticleInput:
    return ArticleInput(
        title=data["title"],
        answer=data["answer"],
        category_ids=data["category_ids"],
        valid_from=data["valid_from"],
        valid_until=data["valid_until"],
        source_document=data["source_document"],
        source_url=data["source_url"],
    )


class KnowledgeSearchApi(APIView):
    class FilterSerializer(serializers.Serializer):
        # No max_length: the selector refuses a long search with the pages' own message.
        q = serializers.CharField(
            trim_whitespace=False, help_text=f"Words to find (all of them), up to {QUERY_MAX_LENGTH} characters."
        )
        category = serializers.IntegerField(
            required=False, min_value=1, help_text="A category id: articles of it, its group or its sub-categories."
        )
        expired = serializers.BooleanField(required=False, default=False, help_text="Include expired articles.")

        class Meta:
            ref_name = "KnowledgeSearchFilter"

        def validate_category(self, value):
            category = Category.objects.filter(pk=value, is_active=True).first()
            if category is None:
                raise serializers.ValidationError(_("Choose a category from the list."))
            return category

    class OutputSerializer(ArticleSummarySerializer):
        title_hits = serializers.IntegerField(help_text="Search words found in the title.")
        hits = serializers.IntegerField(help_text="Search words found in the title and in the answer.")

        class Meta:
            ref_name = "KnowledgeArticleFound"

    @extend_schema(
        summary="Search the knowledge base",
        description=(
            "Articles valid today containing every word of `q` in the title or the answer, best first: "
            "words in the title, words anywhere, then recent use; at most 20. "
            "The 12345 centre only; 404 for anyone else."
        ),
        parameters=[FilterSerializer],
        responses={200: OutputSerializer(many=True), **errors(400, 401, 404)},
    )
    def get(self, request):
        knowledge_reader_check(user=request.user)
        query = self.FilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = article_search(
            user=request.user,
            query=query.validated_data["q"],
            category=query.validated_data.get("category"),
            include_expired=query.validated_data["expired"],
        )
        return Response(self.OutputSerializer(found, many=True).data)


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    title = serializers.CharField()
    answer = serializers.CharField()
    category_ids = serializers.ListField(child=serializers.IntegerField(), help_text="The categories then, by id.")
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    source_document = serializers.CharField()
    source_url = serializers.CharField()
    edited_by = serializers.CharField(source="edited_by.get_username", allow_null=True, default=None)
    edited_at = serializers.DateTimeField()

    class Meta:
        ref_name = "KnowledgeArticleVersion"


class KnowledgeArticleApi(APIView):
    class OutputSerializer(ArticleSummarySerializer):
        author = serializers.CharField(source="author.get_username", allow_null=True, default=None)
        created_at = serializers.DateTimeField()
        updated_at = serializers.DateTimeField()
        versions = serializers.SerializerMethodField(help_text="Every version, newest first.")

        class Meta:
            ref_name = "KnowledgeArticleDetail"

        @extend_schema_field(VersionSerializer(many=True))
        def get_versions(self, article):
            return VersionSerializer(article_versions(article=article), many=True).data

    @extend_schema(
        summary="Read a knowledge article",
        description="With its version history; archived and expired ones too. The 12345 centre only.",
        responses={200: OutputSerializer, **errors(401, 404)},
    )
    def get(self, request, article_id: int):
        article = article_get_for(user=request.user, article_id=article_id)
        return Response(self.OutputSerializer(article).data)


class KnowledgeArticleCreateApi(APIView):
    @extend_schema(
        summary="Write a knowledge article",
        description="Version 1 of a new article, by the signed-in member of the 12345 centre.",
        request=ArticleInputSerializer,
        responses={201: KnowledgeArticleApi.OutputSerializer, **errors(400, 401, 404)},
    )
    def post(self, request):
        knowledge_editor_check(user=request.user)
        data = parsed(ArticleInputSerializer, request)
        article = article_create(user=request.user, data=_article_input(data))
        article = article_get_for(user=request.user, article_id=article.pk)
        return Response(KnowledgeArticleApi.OutputSerializer(article).data, status=status.HTTP_201_CREATED)


class KnowledgeArticleUpdateApi(APIView):
    class InputSerializer(ArticleInputSerializer):
        version = serializers.IntegerField(
            min_value=1, help_text="The article's `version` as last read; a stale one is refused with 409."
        )

        class Meta:
            ref_name = "KnowledgeArticleEditInput"

    @extend_schema(
        summary="Edit a knowledge article",
        description=(
            "Replaces every field and keeps the old text as a version. Refused with 409 if the article "
            "changed since `version` was read, and with 400 if it is archived."
        ),
        request=InputSerializer,
        responses={200: KnowledgeArticleApi.OutputSerializer, **errors(400, 401, 404, 409)},
    )
    def post(self, request, article_id: int):
        article_get_for(user=request.user, article_id=article_id)  # 404 before any word about the input
        data = parsed(self.InputSerializer, request)
        article_update(user=request.user, article_id=article_id, version=data["version"], data=_article_input(data))
        article = article_get_for(user=request.user, article_id=article_id)
        return Response(KnowledgeArticleApi.OutputSerializer(article).data)
