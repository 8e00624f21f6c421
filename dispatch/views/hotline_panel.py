"""The hotline desk's side panel: the caller's history and the matter this call
repeats, the open orders near the place, and the knowledge-base results. Drawn
with the page, and again by the fragment URLs hotline.js calls as the operator
types; the same values give the same panel either way."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

from complaints.models import Category, Region
from complaints.selectors.place_search import beijing_place, place_resolve
from complaints.services.intake import intake_category
from dispatch.forms.hotline import caller_phone
from dispatch.selectors.hotline import caller_history, nearby_open_orders, repeat_matter
from dispatch.selectors.knowledge import article_search, excerpt, highlighted, knowledge_terms
from portal.errors import ActionRefused

ALL_PARTS = ("history", "nearby", "knowledge")


def _text(values, name: str) -> str:
    value = values.get(name, "")
    return value if isinstance(value, str) else ""


@dataclass(frozen=True)
class Side:
    """What the panel is about, as typed: nothing here is trusted yet."""

    caller: str = ""
    category: str = ""
    region_code: str = ""
    place: str = ""
    kq: str = ""
    region: Region | None = None

    @classmethod
    def from_values(cls, values, *, caller: str | None = None, region: Region | None = None) -> "Side":
        return cls(
            caller=caller if isinstance(caller, str) else _text(values, "caller"),
            category=_text(values, "category"),
            region_code=_text(values, "region"),
            place=_text(values, "place"),
            kq=_text(values, "kq"),
            region=region,
        )


def side_panel(*, user, side: Side, parts=ALL_PARTS) -> dict:
    """The template context of the panel's `parts`. A bad caller number, place or
    search gives a message in the panel, never an error page."""
    category = _category(side.category)
    region = side.region or _region(side)
    context: dict = {"region": region}
    if "history" in parts:
        context.update(_history(user=user, side=side, category=category, region=region))
    if "nearby" in parts:
        nearby = nearby_open_orders(user=user, region=region, category=category) if region else None
        context.update({"nearby": nearby, "nearby_region": region})
    if "knowledge" in parts:
        context.update(_knowledge(user=user, query=side.kq))
    return context


def _history(*, user, side: Side, category: Category | None, region: Region | None) -> dict:
    context = {"caller_error": None, "history": None, "repeat": None}
    if not side.caller.strip():
        return context
    try:
        phone = caller_phone(side.caller)
    except ValidationError as error:
        context["caller_error"] = error.messages[0]
        return context
    context["history"] = caller_history(user=user, phone=phone)
    if category is not None and region is not None and context["history"].total:
        context["repeat"] = repeat_matter(user=user, phone=phone, category=category, region=region)
    return context


def _knowledge(*, user, query: str) -> dict:
    context = {"kb_query": query, "kb_rows": None, "kb_error": None}
    if not query.strip():
        return context
    try:
        terms = knowledge_terms(query=query)
        found = article_search(user=user, query=query)
    except ActionRefused as refusal:
        context["kb_error"] = refusal.message
        return context
    today = timezone.localdate()
    context["kb_rows"] = [
        {
            "article": article,
            "title": highlighted(text=article.title, terms=terms),
            "excerpt": highlighted(text=excerpt(text=article.answer, terms=terms), terms=terms),
            "valid": article.is_valid_on(today),
        }
        for article in found
    ]
    return context


def _category(raw: str) -> Category | None:
    if not raw:
        return None
    try:
        return intake_category(category_id=raw)
    except ValidationError:
        return None


def _region(side: Side) -> Region | None:
    if side.region_code:
        return beijing_place(code=side.region_code)
    try:
        found = place_resolve(text=side.place)
    except ValidationError:
        return None
    return found[0] if len(found) == 1 else None
