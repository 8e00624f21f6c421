"""The words of a message, made at send time from the event's facts in the
language the resident filed in. Each kind has its own templates under
templates/complaints/notices/: `<kind>_subject.txt`, `<kind>_body.txt` (e-mail)
and `<kind>_sms.txt`."""

from functools import cached_property
from urllib.parse import urlencode

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from complaints.forms.base import category_label
from complaints.hooks import handling_facts_provider
from complaints.models import Complaint, ComplaintEvent, EventKind
from complaints.notices.language import notice_language
from complaints.notices.links import rate_url, stop_url
from complaints.notices.policy import event_unit_id
from complaints.timeline.names import unit_names_provider

K = EventKind


class NoticeText:
    """The words of one notice. Each part is rendered when first read, in the
    resident's language: a text message needs only its one line, an e-mail only
    its subject and body."""

    def __init__(self, *, kind: str, context: dict, language: str):
        self._prefix = f"complaints/notices/{kind}"
        self._context = context
        self._language = language
        self.stop_url: str = context["stop_url"]

    @cached_property
    def subject(self) -> str:
        return " ".join(self._render("subject").split())

    @cached_property
    def body(self) -> str:
        return self._render("body").strip() + "\n"

    @cached_property
    def sms(self) -> str:
        return " ".join(self._render("sms").split())

    def _render(self, part: str) -> str:
        with translation.override(self._language):
            return render_to_string(f"{self._prefix}_{part}.txt", self._context)


def notice_text(*, event: ComplaintEvent, unit_names: dict[int, str] | None = None) -> NoticeText:
    """The words of the notice of `event`. `unit_names` (unit id → name), when
    given, names the unit without a query: a batch of notices reads them at once."""
    complaint = event.complaint
    language = notice_language(complaint)
    with translation.override(language):
        context = _context(event=event, complaint=complaint, unit_names=unit_names)
    return NoticeText(kind=event.kind, context=context, language=language)


def _context(*, event: ComplaintEvent, complaint: Complaint, unit_names: dict[int, str] | None) -> dict:
    data = event.data or {}
    context = {
        "number": complaint.tracking_number,
        "name": complaint.resident_name,
        "kind_label": K(event.kind).label,
        "category": category_label(complaint.category),
        "unit": unit_name(event=event, unit_names=unit_names),
        "track_url": track_url(complaint=complaint),
        "stop_url": stop_url(complaint=complaint),
    }
    if event.kind == K.RESOLVED:
        context["reply"] = str(data.get("reply") or event.message)
        context["rate_url"] = rate_url(complaint=complaint)
        context["rating_days"] = settings.WHISTLE_RATING_WINDOW.days
    elif event.kind == K.REJECTED:
        context["reason"] = str(data.get("reason") or "")
    elif event.kind == K.MERGED:
        context["lead_number"] = _lead_number(complaint=complaint, lead_id=data.get("lead_id", data.get("lead")))
    return context


def unit_name(*, event: ComplaintEvent, unit_names: dict[int, str] | None = None) -> str:
    """The unit the event is about, in its own name: by id through the timeline's
    unit-name provider (or `unit_names`, read for a batch); for rows written before
    events stored the acting unit's id, the name they stored; else the unit that
    handles the order now."""
    unit_id = event_unit_id(event)
    if unit_id is not None:
        names = unit_names if unit_names is not None and unit_id in unit_names else unit_names_provider([unit_id])
        name = names.get(unit_id)
        if name:
            return name
    if event.kind != K.ASSIGNED and "by" not in (event.data or {}) and event.actor_label:
        return event.actor_label
    facts = handling_facts_provider([event.complaint_id]).get(event.complaint_id)
    return facts.agency if facts else ""


def track_url(*, complaint: Complaint) -> str:
    query = urlencode({"tracking_number": complaint.tracking_number})
    return f"{settings.WHISTLE_SITE_URL}{reverse('complaints:track')}?{query}"


def _lead_number(*, complaint: Complaint, lead_id) -> str:
    if complaint.merged_into_id:
        return complaint.merged_into.tracking_number
    if isinstance(lead_id, int):
        return Complaint.objects.filter(pk=lead_id).values_list("tracking_number", flat=True).first() or ""
    return ""
