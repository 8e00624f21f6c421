"""URLs of the reply-template (常用语) pages, included into the dispatch namespace by dispatch/urls/__init__.py."""

from django.urls import path

from dispatch.views.reply_templates import (
    reply_template_deactivate_view,
    reply_template_edit,
    reply_template_new,
    reply_templates,
)

urlpatterns = [
    path("templates/", reply_templates, name="reply_templates"),
    path("templates/<int:template_id>/edit/", reply_template_edit, name="reply_template_edit"),
    path("templates/<int:template_id>/deactivate/", reply_template_deactivate_view, name="reply_template_deactivate"),
    path("templates/<str:owner>/new/", reply_template_new, name="reply_template_new"),
]
