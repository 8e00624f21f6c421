"""Reads of the hotline desk (坐席受理): what the operator sees while the caller is
on the line. The caller's own earlier demands, the open orders near the place
being typed, and whether this call repeats a matter already filed.

Only the 12345 centre (its dispatchers and hotline operators) reads them; to
anyone else they do not exist.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from complaints.models import Category, Complaint, Region
from complaints.models.complaint import OPEN_STATUSES
from complaints.selectors.repeats import complaint_first_of_matter
from dispatch.access import reach_of
from dispatch.models import Assignment, AssignmentRole
from portal.errors import NotFound

HISTORY_DAYS = 365
HISTORY_LIMIT = 30
NEARBY_LIMIT = 10


def hotline_check(*, user) -> None:
    """The hotline desk is the 12345 centre's; to anyone else it does not exist."""
    if not reach_of(user).is_centre:
        raise NotFound


def _holder_name() -> Subquery:
    """The unit working (or that last worked) the order: its latest lead assignment's holder."""
    latest = Assignment.objects.filter(complaint=OuterRef("pk"), role=AssignmentRole.LEAD).order_by(
        "-assigned_at", "-pk"
    )
    return Subquery(latest.values("holder__name")[:1])


def _repeat_count() -> Coalesce:
    repeats = (
        Complaint.objects.filter(repeat_of=OuterRef("pk"))
        .order_by()
        .values("repeat_of")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(repeats), Value(0))


@dataclass(frozen=True)
class CallerHistory:
    rows: list[Complaint]
    # Demands of the last 12 months in all; `rows` shows at most HISTORY_LIMIT of them.
    total: int
    open_count: int


def caller_history(*, user, phone: str) -> CallerHistory:
    """The demands filed from `phone` (normalised) in the last 12 months, newest
    first, each with its category, place, status, the unit holding it (`holder_name`)
    and how many repeats it has (`repeat_count`). Two queries whatever the count."""
    hotline_check(user=user)
    since = timezone.now() - timedelta(days=HISTORY_DAYS)
    demands = Complaint.objects.filter(resident_phone=phone, submitted_at__gte=since)
    counts = demands.aggregate(total=Count("pk"), open=Count("pk", filter=Q(status__in=OPEN_STATUSES)))
    if not counts["total"]:
        return CallerHistory(rows=[], total=0, open_count=0)
    rows = list(
        demands.select_related("category__parent", "region__parent__parent", "repeat_of")
        .annotate(holder_name=_holder_name(), repeat_count=_repeat_count())
        .order_by("-submitted_at", "-pk")[:HISTORY_LIMIT]
    )
    return CallerHistory(rows=rows, total=counts["total"], open_count=counts["open"])


def nearby_open_orders(*, user, region: Region, category: Category | None = None) -> list[Complaint]:
    """Open orders in the place's street (its community's first when a community is
    given, then the chosen category's), newest first: what the operator can tell a
    caller is already being handled. Category, place, status, holder and dates
    only: no name, phone, address or description. One query."""
    hotline_check(user=user)
    street = region.street_code
    if street is None:
        return []
    same_place = Q(region__code__startswith=region.code)
    same_category = Q(category=category) if category is not None else Q(pk__in=[])
    rank = Case(When(same_place, then=Value(0)), default=Value(1), output_field=IntegerField())
    category_rank = Case(When(same_category, then=Value(0)), default=Value(1), output_field=IntegerField())
    return list(
        # The street's few places by id: the complaints' region index, not a join over all of them.
        Complaint.objects.filter(region__in=Region.objects.filter(code__startswith=street), status__in=OPEN_STATUSES)
        .select_related("category__parent", "region__parent__parent")
        .annotate(holder_name=_holder_name(), place_rank=rank, category_rank=category_rank)
        .order_by("place_rank", "category_rank", "-submitted_at", "-pk")[:NEARBY_LIMIT]
    )


@dataclass(frozen=True)
class RepeatMatter:
    """The matter a new call from this phone would repeat: its first demand and
    how many repeats it already has."""

    first: Complaint
    repeat_count: int


def repeat_matter(*, user, phone: str, category: Category, region: Region) -> RepeatMatter | None:
    """The first demand of the matter a demand from `phone` about `category` at
    `region` would be linked to as a repeat (重复件), by the rule complaint_submit
    applies, or None. Two queries."""
    hotline_check(user=user)
    first = complaint_first_of_matter(phone=phone, category=category, region=region)
    if first is None:
        return None
    return RepeatMatter(first=first, repeat_count=repeats_of(complaint=first))


def repeats_of(*, complaint: Complaint) -> int:
    """How many demands are linked as repeats of `complaint`'s matter (merged ones
    too: each was a call about it)."""
    first_id = complaint.repeat_of_id or complaint.pk
    return Complaint.objects.filter(repeat_of_id=first_id).count()


def hotline_filed_get(*, user, tracking_number: str) -> Complaint:
    """A demand the user filed on the hotline (a dispatcher: anyone's), for the
    page giving its tracking number to read to the caller."""
    hotline_check(user=user)
    complaint = (
        Complaint.objects.select_related("repeat_of", "category", "region__parent__parent", "direct_answer__article")
        .filter(tracking_number=str(tracking_number)[:20], filed_by__isnull=False)
        .first()
    )
    if complaint is None:
        raise NotFound
    if complaint.filed_by_id != user.pk and not reach_of(user).is_dispatcher:
        raise NotFound
    return complaint
