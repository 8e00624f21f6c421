"""Two people (or two workers) acting on the same row at the same moment, on
PostgreSQL's real row locks: one wins, the other gets a clear refusal, and nothing
is written twice. SQLite serialises whole transactions, so only PostgreSQL proves it."""

import pytest

from complaints.models import ComplaintStatus
from dispatch.models import Assignment
from dispatch.services.assignments import assignment_accept
from dispatch.services.routing import complaint_route
from portal.errors import ActionRefused, ChangedBySomeoneElse
from tests.factories import ComplaintFactory
from tests.services.conftest import at_once

pytestmark = [pytest.mark.services(redis=False), pytest.mark.django_db(transaction=True)]


def test_two_handlers_signing_for_the_same_order_at_once_give_one_success_and_one_refusal(submit, people):
    complaint = submit()
    assignment = complaint.assignments.get()
    handler = people["donghuamen_handler"]

    def sign_for():
        return assignment_accept(user=handler, assignment_id=assignment.pk, version=assignment.version)

    outcomes = at_once(sign_for, sign_for)

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

    outcomes = at_once(
        lambda: complaint_route(complaint_id=complaint.pk),
        lambda: complaint_route(complaint_id=complaint.pk),
    )

    assert sorted(outcomes) == ["assigned", "skipped"], outcomes
    assert Assignment.objects.filter(complaint=complaint).count() == 1
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ASSIGNED
    assert complaint.assignments.get().unit == units["donghuamen"]
