"""dispatch's answers to the announcements complaints makes (complaints.hooks)."""

from complaints.hooks import complaint_reopened, complaint_submitted, handling_facts_provider
from complaints.timeline.names import unit_names_provider
from dispatch.selectors.handling import handling_facts_for, unit_names_for


def on_submitted(sender, complaint_id, **kwargs):
    """Enqueue routing. Already after commit; a broker that is down costs the
    resident nothing: the complaint waits in the routing backlog (and, should even
    that write fail, the unrouted sweep still finds it)."""
    from dispatch.services.routing_backlog import routing_enqueue

    routing_enqueue(complaint_id=complaint_id)


def on_reopened(sender, complaint, **kwargs):
    from dispatch.services.triage import complaint_reassign_after_reopen

    complaint_reassign_after_reopen(complaint=complaint)


def connect():
    complaint_submitted.connect(on_submitted, dispatch_uid="dispatch.on_submitted")
    complaint_reopened.connect(on_reopened, dispatch_uid="dispatch.on_reopened")
    handling_facts_provider.register(handling_facts_for)
    unit_names_provider.register(unit_names_for)
