"""Reference data for other systems: the place tree and the category taxonomy.
Public facts, so no user is involved; every read is a fixed number of queries."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from complaints.models import Category, CategoryQuestion, Region, RegionLevel
from portal.errors import NotFound

# The largest primary key a database column holds; a bigger "id" is no id at all.
MAX_PK = 2**63 - 1

# The division tables name a community by its committee ("多福巷社区居委会", "楼梓庄村委会");
# a resident picks the place, so pickers say "多福巷社区", "楼梓庄村". Longest first.
COMMITTEE_ENDINGS = (
    ("村民委员会", "村"),
    ("村委会", "村"),
    ("居民居委会", "社区"),
    ("居民委员会", "社区"),
    ("居委会", "社区"),
)


def place_name(*, region: Region) -> str:
    """The name of the place itself, never of the committee that runs it. The
    committee, a unit, keeps its own name in dispatch."""
    name = region.name
    if region.level != RegionLevel.COMMUNITY:
        return name
    for ending, kind in COMMITTEE_ENDINGS:
        if name.endswith(ending):
            stem = name[: -len(ending)]
            if not stem:
                return name
            return stem if stem.endswith(kind) else stem + kind
    return name


def places_under(*, parent_code: str | None) -> QuerySet[Region]:
    """The districts, or the places one level below `parent_code` (district →
    streets, street → communities), each saying whether it has places below it."""
    if parent_code:
        parent = Region.objects.filter(code=parent_code).only("pk").first()
        if parent is None:
            raise NotFound
        rows = Region.objects.filter(parent=parent)
    else:
        rows = Region.objects.filter(level=RegionLevel.DISTRICT)
    below = Region.objects.filter(parent=OuterRef("pk"))
    return rows.select_related("parent").annotate(has_children=Exists(below)).order_by("code")


def place_get(*, code: str) -> Region:
    """The place with its parents loaded (community → street → district → city)."""
    region = Region.objects.select_related("parent__parent__parent").filter(code=code).first()
    if region is None:
        raise NotFound
    return region


def place_ancestors(region: Region) -> list[Region]:
    """The places above, outermost first, below the city (the city is implied)."""
    chain, node = [], region.parent
    while node is not None and node.level != RegionLevel.CITY:
        chain.append(node)
        node = node.parent
    return chain[::-1]


def category_tree() -> list[Category]:
    """Active groups with their active sub-categories, each marked when it (or its
    group) asks extra questions."""
    asks = CategoryQuestion.objects.filter(is_active=True, variable=True).filter(
        Q(category=OuterRef("pk")) | Q(category=OuterRef("parent"))
    )
    children = (
        Category.objects.filter(is_active=True).annotate(asks_questions=Exists(asks)).order_by("sort_order", "code")
    )
    return list(
        Category.objects.filter(parent__isnull=True, is_active=True)
        .annotate(asks_questions=Exists(asks))
        .order_by("sort_order", "code")
        .prefetch_related(Prefetch("children", queryset=children))
    )


def category_get(*, pk: int) -> Category:
    """An active category (a group, or a sub-category of an active group)."""
    if not 0 < pk <= MAX_PK:
        raise NotFound
    category = Category.objects.select_related("parent").filter(pk=pk, is_active=True).first()
    if category is None or (category.parent_id and not category.parent.is_active):
        raise NotFound
    return category
