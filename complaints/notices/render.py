"""The words of a message, made at send time from the event's facts in the
language the resident filed in. Each kind has its own templates under
templates/complaints/notices/: `<kind>_subject.txt`, `<kind>_body.txt` (e-mail)
and `<kind>_sms.txt`."""

from dataclasses import dataclass
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


@dataclass(frozen=True)
class NoticeText:
    subject: str
    body: str
    sms: str
    stop_url: str


def notice_text(*, event: ComplaintEvent) -> NoticeText:
    complaint = event.complaint
    with translation.override(notice_language(complaint)):
        context = _context(event=event, complaint=complaint)
        prefix = f"complaints/notices/{event.kind}"
        return NoticeText(
            subject=" ".join(render_to_string(f"{prefix}_subject.txt", context).split()),
            body=render_to_string(f"{prefix}_body.txt", context).strip() + "\n",
            sms=" ".join(render_to_string(f"{prefix}_sms.txt", context).split()),
            stop_url=context["stop_url"],
        )


def _context(*, event: ComplaintEvent, complaint: Complaint) -> dict:
    data = event.data or {}
    context = {
        "number": complaint.tracking_number,
        "name": complaint.resident_name,
        "kind_label": K(event.kind).label,
        "category": category_label(complaint.category),
        "unit": unit_name(event=event),
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


def unit_name(*, event: ComplaintEvent) -> str:
    """The unit the event is about, in its own name: by id through the timeline's
    unit-name provider; for rows written before events stored the acting unit's id,
    the name they stored; else the unit that handles the order now."""
    unit_id = event_unit_id(event)
    if unit_id is not None:
        name = unit_names_provider([unit_id]).get(unit_id)
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
