"""The documents Open311 answers with, field by field in the spec's order.

A request's status, service, place (its division code), the unit handling it,
the public reply and the dates are public, as on the resident's tracking page.
Its description, address and exact point are shown only on rows the selector
marked `viewer_filed` (the asking client filed it); elsewhere they are empty and
the point is rounded to about 100 m, enough for a map of hot spots and not
enough to find a door. Names, phones, e-mails and account ids are never read.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from complaints.emergency import emergency_notice
from complaints.hooks import HandlingFacts
from complaints.models import (
    LIST_TYPES,
    Category,
    CategoryQuestion,
    Complaint,
    ComplaintStatus,
    DemandType,
    QuestionType,
)
from complaints.open311.documents import Document, Items
from complaints.open311.media import public_photo_url
from complaints.open311.status import CLOSED, open311_status

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When the service list's shape last changed; clients refresh cached lists when it moves.
CHANGESET = "2026-12-01 00:00"
PUBLIC_PLACES = Decimal("0.001")


def localized(name: str, name_en: str = "") -> str:
    english = (translation.get_language() or "").startswith("en")
    return name_en if english and name_en else name


def discovery_document(*, endpoint_url: str) -> Document:
    endpoint = {
        "specification": SPECIFICATION,
        "url": endpoint_url,
        "changeset": CHANGESET,
        "type": "test" if settings.DEBUG else "production",
        "formats": Items(item="format", rows=["text/xml", "application/json"]),
    }
    return Document(
        root="discovery",
        body={
            "changeset": CHANGESET,
            "contact": _("The 12345 citizen service hotline: %(site)s") % {"site": settings.WHISTLE_SITE_URL},
            "key_service": _("API keys are issued to client systems by the portal's administrators."),
            "endpoints": Items(item="endpoint", rows=[endpoint]),
        },
    )


def services_document(*, categories: list[Category]) -> Document:
    return Document(root="services", body=Items(item="service", rows=[_service(c) for c in categories]))


def _service(category: Category) -> dict:
    group = category.parent
    names = [category.name, category.name_en, group.name, group.name_en]
    return {
        "service_code": category.code,
        "service_name": localized(category.name, category.name_en),
        "description": category.description or None,
        # Every service asks at least the demand type (an optional attribute).
        "metadata": True,
        "type": "realtime",
        "keywords": ", ".join(dict.fromkeys(n for n in names if n)),
        "group": localized(group.name, group.name_en),
    }


def definition_document(*, category: Category, questions: list[CategoryQuestion]) -> Document:
    # Positions, not the stored sort keys: the spec wants 1, 2, 3… unique within the service.
    attributes = [_attribute(question, order) for order, question in enumerate(questions, start=1)]
    attributes.append(_demand_type_attribute(order=len(attributes) + 1))
    return Document(
        root="service_definition",
        body={"service_code": category.code, "attributes": Items(item="attribute", rows=attributes)},
    )


def _attribute(question: CategoryQuestion, order: int) -> dict:
    row = {
        "variable": question.variable,
        "code": question.code,
        "datatype": question.datatype,
        "required": question.required and question.variable,
        "datatype_description": question.datatype_description or None,
        "order": order,
        "description": localized(question.prompt, question.prompt_en),
    }
    if question.datatype in LIST_TYPES:
        values = [{"key": v["key"], "name": localized(v["name"], v.get("name_en", ""))} for v in question.values]
        row["values"] = Items(item="value", rows=values)
    return row


# The attribute every service definition ends with: what kind of demand it is.
# Its code is the portal's, not a category question's (see filing.DEMAND_TYPE).
DEMAND_TYPE = "demand_type"


def _demand_type_attribute(*, order: int) -> dict:
    return {
        "variable": True,
        "code": DEMAND_TYPE,
        "datatype": QuestionType.SINGLE.value,
        "required": False,
        "datatype_description": _("Optional; when left out, the demand is of the type “complaint”."),
        "order": order,
        "description": _("What kind of demand is it?"),
        "values": Items(item="value", rows=[{"key": key, "name": str(label)} for key, label in DemandType.choices]),
    }


def requests_document(*, complaints: list[Complaint], facts: dict[int, HandlingFacts]) -> Document:
    rows = [_request(c, facts.get(c.merged_into_id or c.pk)) for c in complaints]
    return Document(root="service_requests", body=Items(item="request", rows=rows))


def _request(complaint: Complaint, facts: HandlingFacts | None) -> dict:
    lead = complaint.merged_into if complaint.status == ComplaintStatus.MERGED else None
    state = open311_status(complaint)
    own = bool(complaint.viewer_filed)
    return {
        "service_request_id": complaint.tracking_number,
        "status": state,
        "status_notes": (complaint.public_reply or None) if state == CLOSED else None,
        "service_name": localized(complaint.category.name, complaint.category.name_en),
        "service_code": complaint.category.code,
        "description": (complaint.description or None) if own else None,
        "agency_responsible": facts.agency if facts else None,
        "service_notice": _notice(complaint, lead),
        "requested_datetime": complaint.submitted_at,
        "updated_datetime": max(complaint.updated_at, lead.updated_at) if lead else complaint.updated_at,
        "expected_datetime": facts.expected if facts else None,
        "address": (complaint.address or None) if own else None,
        "address_id": complaint.region.code,
        "zipcode": None,
        "lat": _point(complaint.latitude, own),
        "long": _point(complaint.longitude, own),
        "media_url": public_photo_url(key=getattr(complaint, "public_photo_key", None)),
    }


def _notice(complaint: Complaint, lead: Complaint | None) -> str:
    if lead is not None:
        return _("Joined with request %(number)s, which is handled in its place.") % {"number": lead.tracking_number}
    return str(ComplaintStatus(complaint.status).label)


def _point(value: Decimal | None, own: bool) -> Decimal | None:
    if value is None or own:
        return value
    return value.quantize(PUBLIC_PLACES, rounding=ROUND_HALF_UP)


def created_document(*, tracking_number: str, emergency_words: list[str] | None = None) -> Document:
    notice = _("Filed as %(number)s. The handling unit will call back on the phone number given.") % {
        "number": tracking_number
    }
    urgent = emergency_notice(words=emergency_words or [])
    if urgent:
        # Open311 has one free text for the resident: the danger comes before the receipt.
        notice = f"{urgent} {notice}"
    # account_id stays empty: the client sent it, and no answer repeats a resident's account.
    row = {"service_request_id": tracking_number, "service_notice": notice, "account_id": None}
    return Document(root="service_requests", body=Items(item="request", rows=[row]))


def token_document(*, tracking_number: str, token: str) -> Document:
    row = {"service_request_id": tracking_number, "token": token}
    return Document(root="service_requests", body=Items(item="request", rows=[row]))
