"""Due times of the core loop: fixed clock durations from settings. The deadline
policy engine (per category and priority, working days) replaces this module's
body; its callers stay."""

from datetime import datetime

from django.conf import settings

from dispatch.models import Assignment


def due_times(*, assigned_at: datetime) -> tuple[datetime, datetime]:
    """(contact due, resolve due) for an assignment made at `assigned_at`."""
    return assigned_at + settings.WHISTLE_CONTACT_WITHIN, assigned_at + settings.WHISTLE_RESOLVE_WITHIN


def next_due(*, assignment: Assignment) -> datetime | None:
    """The earliest due time not yet met, or None when nothing is due any more."""
    if assignment.resolved_at or not assignment.is_active:
        return None
    if assignment.contacted_at is None:
        return min(assignment.contact_due, assignment.resolve_due)
    return assignment.resolve_due
