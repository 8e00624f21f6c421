"""The knowledge base pages (知识库) of the 12345 centre: search while on the call,
read an article and its history, write, edit and archive. To anyone outside the
centre the pages do not exist (404)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaints.models import Category
from dispatch.forms.knowledge import ArchiveForm, ArticleEditForm, ArticleForm, KnowledgeSearchForm
from dispatch.selectors.knowledge import (
    article_get_for,
    article_list,
    article_search,
    excerpt,
    highlighted,
    knowledge_editor_check,
    knowledge_reader_check,
    knowledge_terms,
    version_rows,
)
from dispatch.services.knowledge import article_archive, article_changed, article_create, article_update
from dispatch.views.common import paginate
from portal.errors import ActionRefused, NotFound


def _guarded(check):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                check(user=request.user)
                return view(request, *args, **kwargs)
            except NotFound as exc:
                raise Http404 from exc

        return wrapper

    return decorator


# Reading: the whole 12345 centre (dispatchers and hotline operators); writing: its
# dispatchers. Anyone else gets 404.
centre_only = _guarded(knowledge_reader_check)
editors_only = _guarded(knowledge_editor_check)


@centre_only
def knowledge_search(request):
    """Search (ranked, at most 20) or, with no search typed, browse everything valid."""
    form = KnowledgeSearchForm(request.GET or None)
    context = {"form": form, "rows": None, "page": None}
    if form.is_bound and not form.is_valid():
        return render(request, "dispatch/knowledge/search.html", context)
    data = form.cleaned_data if form.is_bound else {"q": "", "category": None, "expired": False}
    category = Category.objects.filter(pk=data["category"]).first() if data["category"] else None
    filters = {"user": request.user, "category": category, "include_expired": data["expired"]}
    if not data["q"].strip():
        context["page"] = paginate(request, article_list(**filters))
        return render(request, "dispatch/knowledge/search.html", context)
    try:
        terms = knowledge_terms(query=data["q"])
        found = article_search(query=data["q"], **filters)
    except ActionRefused as exc:
        form.add_error("q", exc.message)
        return render(request, "dispatch/knowledge/search.html", context)
    today = timezone.localdate()
    context["rows"] = [
        {
            "article": article,
            "title": highlighted(text=article.title, terms=terms),
            "excerpt": highlighted(text=excerpt(text=article.answer, terms=terms), terms=terms),
            "valid": article.is_valid_on(today),
        }
        for article in found
    ]
    return render(request, "dispatch/knowledge/search.html", context)


@editors_only
def knowledge_new(request):
    form = ArticleForm(request.POST or None, initial={"valid_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            article = article_create(user=request.user, data=form.article_input())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The article is saved."))
            return redirect(article)
    return render(request, "dispatch/knowledge/form.html", {"form": form, "article": None})


@centre_only
def knowledge_detail(request, article_id: int):
    article = article_get_for(user=request.user, article_id=article_id)
    context = {
        "article": article,
        "versions": version_rows(article=article),
        "valid": article.is_valid_on(timezone.localdate()),
        "archive_form": ArchiveForm(initial={"version": article.version}),
    }
    return render(request, "dispatch/knowledge/detail.html", context)


@editors_only
def knowledge_edit(request, article_id: int):
    article = article_get_for(user=request.user, article_id=article_id)
    if article.is_archived:
        messages.error(request, _("This article is archived and can no longer be edited."))
        return redirect(article)
    initial = {
        "title": article.title,
        "answer": article.answer,
        "categories": [category.pk for category in article.categories.all()],
        "valid_from": article.valid_from,
        "valid_until": article.valid_until,
        "source_document": article.source_document,
        "source_url": article.source_url,
        "version": article.version,
    }
    form = ArticleEditForm(request.POST or None, initial=initial)
    if request.method == "POST":
        saved = _save_edit(request, form=form, article_id=article.pk)
        if saved:
            return redirect(article)
    return render(request, "dispatch/knowledge/form.html", {"form": form, "article": article})


def _save_edit(request, *, form: ArticleEditForm, article_id: int) -> bool:
    if "version" in form.errors or (form.is_bound and not form.data.get("version")):
        messages.error(request, article_changed().message)
        return False
    if not form.is_valid():
        return False
    try:
        article_update(
            user=request.user,
            article_id=article_id,
            version=form.cleaned_data["version"],
            data=form.article_input(),
        )
    except ValidationError as exc:
        form.add_service_errors(exc)
        return False
    except ActionRefused as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, _("The article is saved."))
    return True


@editors_only
@require_POST
def knowledge_archive(request, article_id: int):
    article = article_get_for(user=request.user, article_id=article_id)
    form = ArchiveForm(request.POST)
    try:
        if not form.is_valid():
            raise article_changed()
        article_archive(user=request.user, article_id=article.pk, version=form.cleaned_data["version"])
    except ActionRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The article is archived: it is no longer offered in the search."))
    return redirect(article)
