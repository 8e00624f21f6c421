"""Writing the knowledge base (知识库): the 12345 centre creates, edits and archives
articles, and an answer given from one is counted (`article_use`).

Every edit carries the version the editor read; a stale one is refused and
nothing is written, so two editors never overwrite each other. Each version,
the first included, is kept as a KnowledgeArticleVersion row written in the
same transaction as the article.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.models import Category
from dispatch.models import KnowledgeArticle, KnowledgeArticleVersion
from dispatch.models.knowledge import SOURCE_MAX_LENGTH, TITLE_MAX_LENGTH
from dispatch.selectors.knowledge import knowledge_editor_check, knowledge_reader_check, valid_on
from portal.errors import ActionRefused, ChangedBySomeoneElse, NotFound

ANSWER_MAX_LENGTH = 20_000


@dataclass(frozen=True)
class ArticleInput:
    """What an editor sets on an article, from any door."""

    title: str
    answer: str
    category_ids: Iterable[int]
    valid_from: date
    valid_until: date | None = None
    source_document: str = ""
    source_url: str = ""


def article_create(*, user, data: ArticleInput) -> KnowledgeArticle:
    knowledge_editor_check(user=user)
    return article_write_new(author=user, data=data)


def article_write_new(*, author, data: ArticleInput) -> KnowledgeArticle:
    """A new article at version 1, by `author` (None for seeded ones). No access
    check: for `article_create` and the seed."""
    fields, categories = _checked(data)
    with transaction.atomic():
        article = KnowledgeArticle.objects.create(author=author, **fields)
        article.categories.set(categories)
        _record_version(article=article, editor=author, category_ids=[c.pk for c in categories])
    return article


def article_update(*, user, article_id: int, version: int, data: ArticleInput) -> KnowledgeArticle:
    """Replace what the article says; refused if it changed since `version` was read."""
    knowledge_editor_check(user=user)
    fields, categories = _checked(data)
    with transaction.atomic():
        article = _locked(article_id=article_id)
        if article.version != version:
            raise article_changed()
        if article.is_archived:
            raise ActionRefused(_("This article is archived and can no longer be edited."))
        for name, value in fields.items():
            setattr(article, name, value)
        article.version += 1
        article.updated_at = timezone.now()
        article.save(update_fields=[*fields, "version", "updated_at"])
        article.categories.set(categories)
        _record_version(article=article, editor=user, category_ids=[c.pk for c in categories])
    return article


def article_archive(*, user, article_id: int, version: int) -> KnowledgeArticle:
    """Take the article out of the search for good; its page and history stay."""
    knowledge_editor_check(user=user)
    with transaction.atomic():
        article = _locked(article_id=article_id)
        if article.version != version:
            raise article_changed()
        if article.is_archived:
            raise ActionRefused(_("This article is already archived."))
        article.is_archived = True
        article.updated_at = timezone.now()
        article.save(update_fields=["is_archived", "updated_at"])
    return article


def article_use(*, article_id: int, user, on: date | None = None) -> KnowledgeArticle:
    """Count an answer given from the article: one more use, used now. Refuses an
    article that is archived or not valid on `on` (today in Beijing by default),
    so an expired answer is never given. One UPDATE, so simultaneous uses all count."""
    knowledge_reader_check(user=user)
    day = on or timezone.localdate()
    try:
        used = KnowledgeArticle.objects.filter(valid_on(day), pk=article_id).update(
            use_count=F("use_count") + 1, last_used_at=timezone.now()
        )
        article = KnowledgeArticle.objects.get(pk=article_id)
    except (KnowledgeArticle.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise NotFound from exc
    if not used:
        if article.is_archived:
            raise ActionRefused(_("This article is archived; it cannot be given as an answer."))
        if article.valid_from > day:
            raise ActionRefused(_("This article is not valid yet; it cannot be given as an answer."))
        raise ActionRefused(_("This article has expired; it cannot be given as an answer."))
    return article


def _locked(*, article_id: int) -> KnowledgeArticle:
    try:
        return KnowledgeArticle.objects.select_for_update().get(pk=article_id)
    except (KnowledgeArticle.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise NotFound from exc


def article_changed() -> ChangedBySomeoneElse:
    return ChangedBySomeoneElse(_("This article was changed by someone else. Reload it and try again."))


def _record_version(*, article: KnowledgeArticle, editor, category_ids: list[int]) -> None:
    KnowledgeArticleVersion.objects.create(
        article=article,
        version=article.version,
        title=article.title,
        answer=article.answer,
        category_ids=sorted(category_ids),
        valid_from=article.valid_from,
        valid_until=article.valid_until,
        source_document=article.source_document,
        source_url=article.source_url,
        edited_by=editor,
        edited_at=article.updated_at,
    )


def _checked(data: ArticleInput) -> tuple[dict, list[Category]]:
    """The fields to store and the categories, or a ValidationError naming every wrong field."""
    errors: dict[str, str] = {}
    title = (data.title or "").strip()
    answer = (data.answer or "").strip()
    source_document = (data.source_document or "").strip()
    source_url = (data.source_url or "").strip()
    texts = {"title": title, "answer": answer, "source_document": source_document, "source_url": source_url}
    for name, text in texts.items():
        if "\x00" in text:
            errors[name] = _("Remove the invisible control character from this text.")
    if not title:
        errors["title"] = _("Give the article a title.")
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = _("Keep the title to %(limit)d characters or fewer.") % {"limit": TITLE_MAX_LENGTH}
    if not answer:
        errors["answer"] = _("Write the answer to give the caller.")
    elif len(answer) > ANSWER_MAX_LENGTH:
        errors["answer"] = _("Keep the answer to %(limit)d characters or fewer.") % {"limit": ANSWER_MAX_LENGTH}
    if len(source_document) > SOURCE_MAX_LENGTH:
        errors["source_document"] = _("Keep the source document to %(limit)d characters or fewer.") % {
            "limit": SOURCE_MAX_LENGTH
        }
    if source_url and "source_url" not in errors:
        try:
            URLValidator(schemes=["http", "https"])(source_url)
        except ValidationError:
            errors["source_url"] = _("Enter the source as a web address starting with http:// or https://.")
        if len(source_url) > 500:
            errors["source_url"] = _("The source link is too long.")
    if not isinstance(data.valid_from, date):
        errors["valid_from"] = _("Give the date the answer is valid from.")
    elif data.valid_until is not None and not isinstance(data.valid_until, date):
        errors["valid_until"] = _("Enter the date as YYYY-MM-DD.")
    elif data.valid_until is not None and data.valid_until < data.valid_from:
        errors["valid_until"] = _("The end date cannot be before the start date.")
    ids = _ids(data.category_ids)
    categories = list(Category.objects.filter(pk__in=ids, is_active=True)) if ids is not None else []
    if ids is None or len(categories) != len(ids):
        errors["categories"] = _("Choose categories from the list.")
    if errors:
        raise ValidationError(errors)
    fields = {**texts, "valid_from": data.valid_from, "valid_until": data.valid_until}
    return fields, categories


def _ids(values) -> set[int] | None:
    """The category ids as integers, or None when one is not an id at all."""
    try:
        ids = {int(value) for value in values or ()}
    except (TypeError, ValueError):
        return None
    return ids if all(0 < i < 2**63 for i in ids) else None
