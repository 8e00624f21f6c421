"""Reads the intake form needs beyond the place and category lists."""

import uuid
from datetime import timedelta

from django.utils import timezone

from complaints.models import Complaint, DemandType


def complaint_filed_with(*, submission_token: str) -> Complaint | None:
    """The complaint a form with this token already filed, if any.

    The token is a random UUID that only the browser which drew the form has seen,
    so holding it is proof enough that this browser filed the complaint: a resend
    (Back, then Send again) is answered with that complaint, not a second one.
    """
    try:
        token = uuid.UUID(str(submission_token or "").strip())
    except ValueError:
        return None
    return Complaint.objects.filter(submission_token=token).only("pk", "tracking_number").first()


# A form filed again from the same browser with the same content this soon is a
# resend, whatever its token: a browser without JavaScript that goes Back gets a
# fresh page, and with it a fresh token, from the server.
RESEND_WINDOW = timedelta(minutes=10)


def complaint_resent_from(*, tracking_numbers: list[str], fields: dict) -> Complaint | None:
    """Among the complaints this browser filed in the last minutes, the one with the
    same demand type, category, place, phone, address and description, if any."""
    if not tracking_numbers:
        return None
    return (
        Complaint.objects.filter(
            tracking_number__in=tracking_numbers,
            submitted_at__gte=timezone.now() - RESEND_WINDOW,
            demand_type=fields.get("demand_type", DemandType.COMPLAINT),
            category=fields["category"],
            region=fields["region"],
            resident_phone=fields["resident_phone"],
            address=fields["address"],
            description=fields["description"],
        )
        .only("pk", "tracking_number")
        .first()
    )
