"""Reads of the knowledge base (知识库), for the 12345 centre only: the search an
operator runs while on the call, the browse list, one article with its history.

The search is `icontains` over title and answer, which finds Chinese substrings
(no word segmentation needed: "供暖" is found in "本市供暖季时间"). On PostgreSQL
it is served by trigram indexes over UPPER(title) and UPPER(answer) (migration
dispatch 0008), so it stays fast with tens of thousands of articles.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.models import Category
from dispatch.access import reach_of
from dispatch.models import KnowledgeArticle, KnowledgeArticleVersion
from portal.errors import ActionRefused, NotFound

QUERY_MAX_LENGTH = 100
QUERY_MAX_TERMS = 8
SEARCH_LIMIT = 20


def knowledge_editor_check(*, user) -> None:
    """The knowledge base is written by the 12345 centre's dispatchers; to anyone
    else the editing doors do not exist."""
    if not reach_of(user).is_dispatcher:
        raise NotFound


def knowledge_reader_check(*, user) -> None:
    """The knowledge base is read by the whole 12345 centre: its dispatchers and
    the hotline operators answering calls from it. To anyone else it does not exist."""
    if not reach_of(user).is_centre:
        raise NotFound


def knowledge_terms(*, query: str) -> list[str]:
    """The query split on whitespace into terms, every one of which must match.
    Refuses what cannot be a search, with a message for the operator."""
    if not isinstance(query, str):
        raise ActionRefused(_("Type what the caller is asking about."), field="q")
    if "\x00" in query:
        raise ActionRefused(_("The search contains a character that cannot be searched for."), field="q")
    query = query.strip()
    if not query:
        raise ActionRefused(_("Type what the caller is asking about."), field="q")
    if len(query) > QUERY_MAX_LENGTH:
        raise ActionRefused(
            _("Keep the search to %(limit)d characters or fewer.") % {"limit": QUERY_MAX_LENGTH}, field="q"
        )
    terms = list(dict.fromkeys(query.split()))  # unique, in the order typed
    if len(terms) > QUERY_MAX_TERMS:
        raise ActionRefused(_("Search with at most %(limit)d words.") % {"limit": QUERY_MAX_TERMS}, field="q")
    return terms


def valid_on(day: date) -> Q:
    """Articles that may be given as an answer on `day`: not archived and within their dates
    (the SQL twin of KnowledgeArticle.is_valid_on)."""
    return Q(is_archived=False, valid_from__lte=day) & (Q(valid_until__isnull=True) | Q(valid_until__gte=day))


def _in_category(category: Category) -> Exists:
    """Tagged with the category, a group above it, or a category under it: an
    article about heating in general answers a caller about a cold radiator."""
    related = Q(code__in=category.ancestor_codes()) | Q(code__startswith=category.code + ".")
    return Exists(
        KnowledgeArticle.categories.through.objects.filter(
            knowledgearticle_id=OuterRef("pk"), category__in=Category.objects.filter(related)
        )
    )


def _articles(*, category: Category | None, on: date, include_expired: bool) -> QuerySet[KnowledgeArticle]:
    articles = KnowledgeArticle.objects.all()
    if include_expired:
        articles = articles.filter(is_archived=False)
    else:
        articles = articles.filter(valid_on(on))
    if category is not None:
        articles = articles.filter(_in_category(category))
    return articles


def article_search(
    *,
    user,
    query: str,
    category: Category | None = None,
    on: date | None = None,
    include_expired: bool = False,
    limit: int = SEARCH_LIMIT,
) -> list[KnowledgeArticle]:
    """The best `limit` articles valid on `on` (today in Beijing by default)
    containing every term of `query` in the title or the answer. Ranked in SQL:
    terms found in the title first, then terms found anywhere, then the most
    recently used, the most used. Each article is annotated with `title_hits`
    and `hits`; `include_expired` (for editors) adds articles out of their dates."""
    knowledge_reader_check(user=user)
    terms = knowledge_terms(query=query)
    ranked = articles_matching(
        terms=terms, category=category, on=on or timezone.localdate(), include_expired=include_expired
    )
    return list(ranked.prefetch_related("categories")[:limit])


def articles_matching(
    *, terms: list[str], category: Category | None, on: date, include_expired: bool
) -> QuerySet[KnowledgeArticle]:
    """The search's one query, ranked; for `article_search` (which checks the user
    and the terms) and for the test that EXPLAINs it on PostgreSQL."""
    articles = _articles(category=category, on=on, include_expired=include_expired)
    for term in terms:
        articles = articles.filter(Q(title__icontains=term) | Q(answer__icontains=term))
    title_hits = sum((_hit("title", term) for term in terms), Value(0))
    answer_hits = sum((_hit("answer", term) for term in terms), Value(0))
    return articles.annotate(title_hits=title_hits, hits=title_hits + answer_hits).order_by(
        "-title_hits", "-hits", F("last_used_at").desc(nulls_last=True), "-use_count", "-pk"
    )


def _hit(field: str, term: str) -> Case:
    return Case(When(**{f"{field}__icontains": term}, then=Value(1)), default=Value(0), output_field=IntegerField())


def article_list(
    *, user, category: Category | None = None, on: date | None = None, include_expired: bool = False
) -> QuerySet[KnowledgeArticle]:
    """Articles to browse without a search: the most recently used first, then the newest."""
    knowledge_reader_check(user=user)
    articles = _articles(category=category, on=on or timezone.localdate(), include_expired=include_expired)
    return articles.order_by(F("last_used_at").desc(nulls_last=True), "-updated_at", "-pk").prefetch_related(
        "categories"
    )


def article_get_for(*, user, article_id: int) -> KnowledgeArticle:
    """One article (archived ones too: its page says so), with its categories and author."""
    knowledge_reader_check(user=user)
    try:
        return (
            KnowledgeArticle.objects.select_related("author").prefetch_related("categories__parent").get(pk=article_id)
        )
    except (KnowledgeArticle.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise NotFound from exc


def article_versions(*, article: KnowledgeArticle) -> QuerySet[KnowledgeArticleVersion]:
    """The article's history, newest first, with who wrote each version."""
    return article.versions.select_related("edited_by").order_by("-version")


def version_rows(*, article: KnowledgeArticle) -> list[tuple[KnowledgeArticleVersion, list[str]]]:
    """Each version, newest first, with the names of the categories it had (one
    query for all of them; a category deleted since is left out)."""
    versions = list(article_versions(article=article))
    ids = {pk for version in versions for pk in version.category_ids}
    names = dict(Category.objects.filter(pk__in=ids).values_list("pk", "name"))
    return [(version, [names[pk] for pk in version.category_ids if pk in names]) for version in versions]


def knowledge_categories() -> QuerySet[Category]:
    """The categories an article may be filed under or searched by."""
    return Category.objects.filter(is_active=True).select_related("parent").order_by("code")


# --- Highlighting -----------------------------------------------------------------

EXCERPT_LENGTH = 160


@dataclass(frozen=True)
class Part:
    text: str
    hit: bool


def highlighted(*, text: str, terms: list[str]) -> list[Part]:
    """`text` cut into parts, those matching a term (case-insensitively) marked,
    so a template can wrap them in <mark> without building HTML itself."""
    folded = text.casefold()
    marks = [False] * len(text)
    if len(folded) == len(text):  # casefold can lengthen a few letters (ß → ss); then mark nothing
        for term in (t.casefold() for t in terms if t):
            start = folded.find(term)
            while start != -1:
                marks[start : start + len(term)] = [True] * len(term)
                start = folded.find(term, start + 1)
    parts: list[Part] = []
    for index, char in enumerate(text):
        if parts and parts[-1].hit == marks[index]:
            parts[-1] = Part(parts[-1].text + char, marks[index])
        else:
            parts.append(Part(char, marks[index]))
    return parts


def excerpt(*, text: str, terms: list[str], length: int = EXCERPT_LENGTH) -> str:
    """About `length` characters of `text` around the first match, with "…" where cut."""
    folded = text.casefold()
    found = [i for i in (folded.find(t.casefold()) for t in terms if t) if i != -1]
    start = max(0, min(found) - length // 4) if found else 0
    end = min(len(text), start + length)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
