"""URLs of the knowledge base pages, included into the dispatch namespace by dispatch/urls/__init__.py."""

from django.urls import path

from dispatch.views.knowledge import (
    knowledge_archive,
    knowledge_detail,
    knowledge_edit,
    knowledge_new,
    knowledge_search,
)

urlpatterns = [
    path("knowledge/", knowledge_search, name="knowledge"),
    path("knowledge/new/", knowledge_new, name="knowledge_new"),
    path("knowledge/<int:article_id>/", knowledge_detail, name="knowledge_detail"),
    path("knowledge/<int:article_id>/edit/", knowledge_edit, name="knowledge_edit"),
    path("knowledge/<int:article_id>/archive/", knowledge_archive, name="knowledge_archive"),
]
