"""dispatch's answers to the announcements complaints makes (complaints.hooks)."""

import logging

from complaints.hooks import complaint_reopened, complaint_submitted, handling_facts_provider
from dispatch.selectors.handling import handling_facts_for

log = logging.getLogger(__name__)


def on_submitted(sender, complaint_id, **kwargs):
    """Enqueue routing. Already after commit; a broker that is down only delays the
    complaint: the unrouted sweep picks it up."""
    from dispatch.tasks import route_complaint

    try:
        route_complaint.delay(complaint_id)
    except Exception:  # noqa: BLE001 - any broker failure; the sweep is the safety net
        log.exception("could not enqueue routing of complaint %s; the sweep will retry", complaint_id)


def on_reopened(sender, complaint, **kwargs):
    from dispatch.services.triage import complaint_reassign_after_reopen

    complaint_reassign_after_reopen(complaint=complaint)


def connect():
    complaint_submitted.connect(on_submitted, dispatch_uid="dispatch.on_submitted")
    complaint_reopened.connect(on_reopened, dispatch_uid="dispatch.on_reopened")
    handling_facts_provider.register(handling_facts_for)
