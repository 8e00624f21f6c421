import secrets
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.emergency import complaint_emergency_words
from complaints.hooks import complaint_submitted
from complaints.models import (
    Category,
    Channel,
    Complaint,
    ComplaintStatus,
    DemandType,
    EventKind,
    Priority,
    Region,
    RegionLevel,
)
from complaints.notices.language import filing_language
from complaints.phones import normalize_phone
from complaints.selectors.repeats import first_of_matter_number
from complaints.services.categories import category_tree
from complaints.services.lifecycle import complaint_move, complaint_record
from complaints.services.questions import answers_clean

TRACKING_ATTEMPTS = 5


@dataclass(frozen=True)
class DirectAnswer:
    """A consultation the 12345 centre answered on the call from a knowledge-base
    article: filed and closed at once, never routed."""

    article_id: int
    title: str


def complaint_submit(
    *,
    category: Category,
    region: Region,
    address: str,
    description: str,
    resident_name: str,
    resident_phone: str,
    resident_email: str = "",
    hide_name: bool = False,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    submission_token: uuid.UUID | None = None,
    resident=None,
    answers: dict | None = None,
    channel: str = Channel.WEB,
    place_to_confirm: bool = False,
    language: str | None = None,
    demand_type: str = DemandType.COMPLAINT,
    urgent: bool = False,
    filed_by=None,
    direct_answer: DirectAnswer | None = None,
) -> Complaint:
    """File a complaint and announce it once the transaction commits.

    A repeated `submission_token` (a double click, a resent form, an API retry
    with the same Idempotency-Key) returns the complaint it first made instead of
    filing a second one. `answers` are checked against the category's questions.
    `place_to_confirm` files a complaint whose place is known only to its district
    (a map point with no street in its address): the 12345 centre confirms it.
    `language` is the one the resident is written to in; by default the one the
    request is in (the page's, or the API call's Accept-Language).
    A description or address with an emergency word (see complaints.emergency)
    files an urgent complaint that keeps the words; routing sends it to triage.
    `urgent` is the hotline operator's mark; `filed_by` the operator filing for a
    caller. A demand from the same phone about the same sub-category in the same
    street within the category's duplicate window is linked as a repeat of the
    first. With `direct_answer` (a consultation answered on the call) the demand
    is closed at once and never announced, so nothing routes it.
    """
    if submission_token is not None:
        existing = Complaint.objects.filter(submission_token=submission_token).first()
        if existing is not None:
            return existing
    _validate(
        category=category,
        region=region,
        description=description,
        place_to_confirm=place_to_confirm,
        demand_type=demand_type,
        channel=channel,
        direct_answer=direct_answer,
    )
    # A consultation answered on the call was a question, not the problem the
    # category's questions ask about: none of them is required of it.
    answers = answers_clean(category=category, raw=answers, require=direct_answer is None)
    phone = normalize_phone(resident_phone)
    # Every door (web, API, Open311, hotline) files through here, so none can miss a fire.
    emergency = complaint_emergency_words(description=description, address=address)
    if emergency and direct_answer is not None:
        raise ValidationError(
            {
                "description": _(
                    "This demand mentions an emergency word (%(words)s): file it so it is dispatched at once, "
                    "do not answer it directly."
                )
                % {"words": "、".join(emergency)}
            }
        )
    repeat_of = first_of_matter_number(phone=phone, category=category, region=region)

    for attempt in range(TRACKING_ATTEMPTS):
        try:
            with transaction.atomic():
                complaint = Complaint.objects.create(
                    tracking_number=_new_tracking_number(),
                    category=category,
                    region=region,
                    address=address.strip(),
                    description=description.strip(),
                    latitude=latitude,
                    longitude=longitude,
                    resident_name=resident_name.strip(),
                    resident_phone=phone,
                    resident_email=resident_email.strip(),
                    hide_name=hide_name,
                    priority=Priority.URGENT if emergency or urgent else category.effective_priority(),
                    emergency_words=emergency,
                    resident=resident,
                    submission_token=submission_token,
                    answers=answers,
                    channel=channel,
                    place_to_confirm=place_to_confirm,
                    language=filing_language(language),
                    demand_type=demand_type,
                    repeat_of_id=repeat_of[0] if repeat_of else None,
                    filed_by=filed_by,
                )
                complaint_record(
                    complaint=complaint,
                    kind=EventKind.SUBMITTED,
                    actor=filed_by or resident,
                    fact="submitted",
                    by="centre" if filed_by is not None else "resident",
                )
                if repeat_of is not None:
                    complaint_record(
                        complaint=complaint,
                        kind=EventKind.NOTE,
                        fact="repeat",
                        data={"number": repeat_of[1], "repeat_of": repeat_of[0]},
                    )
                if direct_answer is not None:
                    complaint_move(
                        complaint=complaint,
                        to=ComplaintStatus.CLOSED,
                        event=EventKind.CLOSED,
                        actor=filed_by,
                        fact="answered_directly",
                        by="centre",
                        data={"article": direct_answer.article_id, "title": direct_answer.title},
                    )
                else:
                    transaction.on_commit(
                        lambda pk=complaint.pk: complaint_submitted.send(sender=Complaint, complaint_id=pk)
                    )
                return complaint
        except IntegrityError:
            if submission_token is not None:
                existing = Complaint.objects.filter(submission_token=submission_token).first()
                if existing is not None:
                    return existing
            if attempt == TRACKING_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _validate(
    *,
    category: Category,
    region: Region,
    description: str,
    place_to_confirm: bool,
    demand_type: str,
    channel: str,
    direct_answer: DirectAnswer | None,
) -> None:
    errors = {}
    if demand_type not in DemandType.values:
        errors["demand_type"] = _("Choose what kind of demand this is.")
    elif direct_answer is not None and demand_type != DemandType.CONSULTATION:
        errors["demand_type"] = _("Only a consultation can be answered directly.")
    if channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    if not category.is_active:
        errors["category"] = _("This category is no longer in use.")
    elif category_tree().has_active_children(category):
        errors["category"] = _("Choose a sub-category.")
    levels = (RegionLevel.STREET, RegionLevel.COMMUNITY)
    if place_to_confirm:
        levels = (RegionLevel.DISTRICT, *levels)
    if region.level not in levels:
        errors["region"] = _("Choose at least the street or township.")
    if not description.strip():
        errors["description"] = _("Describe the problem.")
    if errors:
        raise ValidationError(errors)


def _new_tracking_number() -> str:
    """Date plus eight random digits: readable over the phone, and it says nothing
    about how many complaints came in that day."""
    today = timezone.localdate().strftime("%Y%m%d")
    return f"{today}{secrets.randbelow(10**8):08d}"
