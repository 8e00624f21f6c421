"""Reads the intake form needs beyond the place and category lists."""

import uuid

from complaints.models import Complaint


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
