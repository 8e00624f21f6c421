"""Open311's reads. GET needs no api_key, so each query loads only the columns
an answer may show: never a resident's name, phone, e-mail or account.

Who sees a request's own words (its description and address) and its exact
point is decided here, per row, in the query: the client system that filed it,
when it asks with its key (`viewer`), and nobody else. `complaints.open311.output`
withholds them from every row whose `viewer_filed` is not true."""

import uuid

from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from rest_framework_api_key.models import APIKey

from complaints.hooks import HandlingFacts, handling_facts_provider
from complaints.models import (
    Category,
    Complaint,
    ComplaintEvent,
    EventKind,
    Open311Submission,
    Photo,
    PhotoKind,
)
from complaints.open311.filters import RequestsQuery
from complaints.open311.status import status_q
from complaints.services.categories import category_tree
from portal.errors import NotFound

# The fields a request answer reads; `.only` keeps the rest of the row in the database.
REQUEST_FIELDS = (
    "tracking_number",
    "status",
    "description",
    "address",
    "latitude",
    "longitude",
    "submitted_at",
    "updated_at",
    "category__code",
    "category__name",
    "category__name_en",
    "region__code",
    "merged_into__status",
    "merged_into__tracking_number",
    "merged_into__updated_at",
)


def services_q() -> Q:
    """What a resident can file under: the active sub-categories of active groups,
    the same list the web form offers."""
    return Q(is_active=True, parent__isnull=False, parent__is_active=True)


def services_list() -> list[Category]:
    # No question count: every service asks at least the demand type, so `metadata` is always true.
    return list(
        Category.objects.filter(services_q())
        .select_related("parent")
        .order_by("parent__sort_order", "parent__code", "sort_order", "code")
    )


def service_get(*, code: str) -> Category:
    """The service (as `services_q` has it) from the category tree's copy: no query."""
    category = category_tree().by_code.get(code)
    if category is None or not category.is_active or category.parent is None or not category.parent.is_active:
        raise NotFound
    return category


def service_codes_unknown(*, codes: list[str]) -> list[str]:
    """Codes no category ever had. A retired category still finds its old requests."""
    known = set(Category.objects.filter(code__in=codes).values_list("code", flat=True))
    return [code for code in codes if code not in known]


def requests_page(*, query: RequestsQuery, viewer: APIKey | None) -> tuple[list[Complaint], bool]:
    """One page, newest first, and whether another page follows."""
    rows = _requests(viewer=viewer)
    if query.tracking_numbers:
        rows = rows.filter(tracking_number__in=query.tracking_numbers)
    else:
        rows = rows.filter(submitted_at__gte=query.start, submitted_at__lte=query.end)
        if query.service_codes:
            rows = rows.filter(category__code__in=query.service_codes)
        if query.statuses and set(query.statuses) != {"open", "closed"}:
            rows = rows.filter(status_q(query.statuses[0]))
    page = list(rows.order_by("-submitted_at", "-pk")[query.offset : query.offset + query.page_size + 1])
    return page[: query.page_size], len(page) > query.page_size


def request_get(*, tracking_number: str, viewer: APIKey | None) -> Complaint:
    complaint = _requests(viewer=viewer).filter(tracking_number=tracking_number[:40]).first()
    if complaint is None:
        raise NotFound
    return complaint


def submission_by_token(*, token: str) -> Open311Submission:
    try:
        token = uuid.UUID(token)
    except ValueError as exc:
        raise NotFound from exc
    submission = Open311Submission.objects.select_related("complaint").filter(token=token).first()
    if submission is None:
        raise NotFound
    return submission


def handling_facts_of(*, complaints: list[Complaint]) -> dict[int, HandlingFacts]:
    """Who handles each order and by when, in one query for the page (dispatch
    answers). A merged complaint is handled as its lead."""
    return handling_facts_provider([c.merged_into_id or c.pk for c in complaints])


def _requests(*, viewer: APIKey | None) -> QuerySet[Complaint]:
    # A merged complaint reads its lead's reply; the subquery picks the newest public one.
    reply = ComplaintEvent.objects.filter(
        complaint_id=Coalesce(OuterRef("merged_into_id"), OuterRef("pk")),
        kind__in=[EventKind.RESOLVED, EventKind.REJECTED],
        is_public=True,
    ).order_by("-created_at", "-pk")
    # media_url: the resident's first photo they allowed on public pages, if any.
    shown = Photo.objects.filter(complaint_id=OuterRef("pk"), kind=PhotoKind.RESIDENT, public=True).order_by("slot")
    return (
        Complaint.objects.select_related("category", "region", "merged_into")
        .only(*REQUEST_FIELDS)
        .annotate(
            public_reply=Subquery(reply.values("message")[:1]),
            public_photo_key=Subquery(shown.values("key")[:1]),
            viewer_filed=_filed_by(viewer),
        )
    )


def _filed_by(viewer: APIKey | None):
    if viewer is None:
        return Value(False, output_field=BooleanField())
    return ExpressionWrapper(Q(open311__client_id=viewer.pk), output_field=BooleanField())
