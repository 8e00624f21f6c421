"""Two people (or two workers) acting on the same row at the same moment, on
PostgreSQL's real row locks: one wins, the other gets a clear refusal, and nothing
is written twice. SQLite serialises whole transactions, so only PostgreSQL proves it."""

import threading

import pytest
from django.db import connection

from complaints.models import ComplaintStatus
from dispatch.models import Assignment
from dispatch.services.assignments import assignment_accept
from dispatch.services.routing import complaint_route
from portal.errors import ActionRefused, ChangedBySomeoneElse
from tests.factories import ComplaintFactory

pytestmark = [pytest.mark.services(redis=False), pytest.mark.django_db(transaction=True)]

JOIN_WITHIN = 30  # seconds


def _at_once(*calls):
    """Run the calls in threads released together, each on its own connection.
    Returns each call's result or the exception it raised, in order."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=JOIN_WITHIN)
            outcomes[index] = call()
        except Exception as exc:  # noqa: BLE001 - the outcome under test
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=JOIN_WITHIN)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (deadlock?)"
    return outcomes


def test_two_handlers_signing_for_the_same_order_at_once_give_one_success_and_one_refusal(submit, people):
    complaint = submit()
    assignment = complaint.assignments.get()
    handler = people["donghuamen_handler"]

    def sign_for():
        return assignment_accept(user=handler, assignment_id=assignment.pk, version=assignment.version)

    outcomes = _at_once(sign_for, sign_for)

    successes = [o for o in outcomes if isinstance(o, Assignment)]
    refusals = [o for o in outcomes if isinstance(o, ChangedBySomeoneElse | ActionRefused)]
    assert (len(successes), len(refusals)) == (1, 1), outcomes
    assignment.refresh_from_db()
    assert assignment.version == successes[0].version == 2
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ACCEPTED
    assert complaint.events.filter(kind="accepted").count() == 1


def test_two_concurrent_routing_runs_for_one_complaint_make_one_assignment(beijing, categories, units, rules):
    complaint = ComplaintFactory(category=categories["noise_construction"], region=beijing["duofuxiang"])

    outcomes = _at_once(
        lambda: complaint_route(complaint_id=complaint.pk),
        lambda: complaint_route(complaint_id=complaint.pk),
    )

    assert sorted(outcomes) == ["assigned", "skipped"], outcomes
    assert Assignment.objects.filter(complaint=complaint).count() == 1
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ASSIGNED
    assert complaint.assignments.get().unit == units["donghuamen"]
