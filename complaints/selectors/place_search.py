"""Finding a street or community of Beijing by typing part of its name, for the
12345 centre's hotline desk: the caller says "多福巷", the operator types it.

Names are matched as typed (no pinyin): names starting with the text first, then
names containing it. Streets and communities only, since a demand is filed at
least to the street. One query, bounded by `limit`; on PostgreSQL a LIKE over
7,535 short names is a few milliseconds even without an index.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from complaints.models import Region, RegionLevel
from complaints.selectors.reference import COMMITTEE_ENDINGS, place_name

# Beijing's division code: every place the 12345 hotline handles starts with it.
BEIJING_CODE = "11"
QUERY_MAX_LENGTH = 60
SEARCH_LIMIT = 15
SEPARATOR = " › "
PLACE_LEVELS = (RegionLevel.STREET, RegionLevel.COMMUNITY)


@dataclass(frozen=True)
class PlaceHit:
    code: str
    name: str
    # "东城区 › 东华门街道 › 多福巷社区": what the operator reads back to the caller.
    path: str
    level: str


def place_query_clean(query) -> str:
    """The text to search for, stripped; refuses what cannot be a place name."""
    if not isinstance(query, str):
        return ""
    if "\x00" in query:
        raise ValidationError(_("The place name contains a character that cannot be searched for."), code="nul")
    query = query.strip()
    if len(query) > QUERY_MAX_LENGTH:
        raise ValidationError(
            _("Keep the place name to %(limit)d characters or fewer.") % {"limit": QUERY_MAX_LENGTH},
            code="too_long",
        )
    return query


def place_search(*, query: str, limit: int = SEARCH_LIMIT) -> list[PlaceHit]:
    """Streets and communities of Beijing whose name contains `query`: prefix
    matches first, then streets before communities, then by code. Empty for an
    empty query; a ValidationError for a NUL or an overlong one."""
    query = place_query_clean(query)
    if not query:
        return []
    prefix_first = Case(When(name__startswith=query, then=Value(0)), default=Value(1), output_field=IntegerField())
    street_first = Case(When(level=RegionLevel.STREET, then=Value(0)), default=Value(1), output_field=IntegerField())
    rows = (
        _beijing_places()
        .filter(name__icontains=query)
        .annotate(prefix_rank=prefix_first, level_rank=street_first)
        .order_by("prefix_rank", "level_rank", "code")[:limit]
    )
    return [place_hit(region) for region in rows]


def place_resolve(*, text: str, limit: int = SEARCH_LIMIT) -> list[Region]:
    """The places a typed name stands for exactly: "多福巷社区", "东华门街道", or a
    path as the suggestions show it ("东城区 › 东华门街道 › 多福巷社区"). One place
    when it is unambiguous; several namesakes (in different streets) otherwise;
    none when nothing is called that. One query."""
    text = place_query_clean(text)
    if not text:
        return []
    parts = [part.strip() for part in text.replace(">", "›").split("›") if part.strip()]
    name, above = parts[-1], parts[:-1]
    stem = _stem(name)
    if not stem:
        return []
    candidates = _beijing_places().filter(name__startswith=stem).order_by("code")[: limit * 4]
    found = []
    for region in candidates:
        if name not in (region.name, place_name(region=region)):
            continue
        if above and _ancestor_names(region)[-len(above) :] != above:
            continue
        found.append(region)
    return found[:limit]


def place_hit(region: Region) -> PlaceHit:
    """Needs region__parent__parent loaded."""
    path = SEPARATOR.join([*_ancestor_names(region), place_name(region=region)])
    return PlaceHit(code=region.code, name=place_name(region=region), path=path, level=region.level)


def beijing_place(*, code) -> Region | None:
    """The street or community of Beijing with this division code, with its parents
    loaded; None for any other code (a district, a place elsewhere, garbage)."""
    code = code.strip() if isinstance(code, str) else ""
    if not code.isdigit() or len(code) > 12:
        return None
    return _beijing_places().filter(code=code).first()


def _beijing_places():
    return Region.objects.filter(code__startswith=BEIJING_CODE, level__in=PLACE_LEVELS).select_related("parent__parent")


def _ancestor_names(region: Region) -> list[str]:
    """Names of the street (for a community) and the district above; reads only
    the two parents a query loaded, never the city above them."""
    names, node = [], region.parent
    while node is not None and node.level in (RegionLevel.DISTRICT, RegionLevel.STREET):
        names.insert(0, place_name(region=node))
        node = node.parent if node.level == RegionLevel.STREET else None
    return names


def _stem(name: str) -> str:
    """What a community's stored name starts with when its display name is `name`:
    "多福巷社区" is stored as "多福巷社区居委会" or "多福巷居委会"."""
    for _ending, kind in COMMITTEE_ENDINGS:
        if name.endswith(kind) and len(name) > len(kind):
            return name[: -len(kind)]
    return name
