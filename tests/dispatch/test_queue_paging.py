"""The unfiltered queue reads a page's ids as the union of its index ranges (accountable
or holding, one status at a time, dispatch.selectors.desk.queue_branches): on PostgreSQL
every page holds the rows, in the order, that one sorted query over the whole queue
gives, with ties on the due time, orders due at no time, orders handed down (in two
ranges of the street, in one of the community) and orders past the end."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dispatch.models import ACTIVE_STATUSES, Assignment, AssignmentStatus
from dispatch.selectors import queue_for
from dispatch.selectors.desk import queue_branches, queue_page_list
from dispatch.services.assignments import assignment_accept, assignment_hand_down

pytestmark = [pytest.mark.services(redis=False), pytest.mark.django_db]


@pytest.fixture
def mixed_queue(submit, people, units):
    """Twenty orders of 东华门街道: some signed for, some handed down to 多福巷社区, due
    times with ties and a few with none, one closed (not in any queue)."""
    handler = people["donghuamen_handler"]
    complaints = [submit() for _ in range(20)]
    assignments = [complaint.assignments.get() for complaint in complaints]
    for index, assignment in enumerate(assignments):
        if index % 3 == 0:
            assignment_accept(user=handler, assignment_id=assignment.pk)
        if index % 4 == 1:
            assignment_hand_down(user=handler, assignment_id=assignment.pk, community_id=units["duofuxiang"].pk)
    start = timezone.now()
    for index, assignment in enumerate(assignments):
        next_due = None if index % 7 == 5 else start + timedelta(hours=index // 3)  # ties in threes
        Assignment.objects.filter(pk=assignment.pk).update(next_due=next_due)
    Assignment.objects.filter(pk=assignments[-1].pk).update(status=AssignmentStatus.RESOLVED)
    return assignments


def _pages(unit, *, size: int, branched: bool) -> list[list[int]]:
    now = timezone.now()
    ids = Assignment.objects.filter(Q(unit=unit) | Q(holder=unit), status__in=ACTIVE_STATUSES).order_by(
        "next_due", "pk"
    )
    rows = queue_page_list(ids=ids, now=now, unfiltered_of=unit if branched else None)
    return [[row.pk for row in rows[start : start + size]] for start in range(0, 30, size)] + [list(rows[3:3])]


@pytest.mark.parametrize("size", [1, 4, 7, 25])
@pytest.mark.parametrize("unit_name", ["donghuamen", "duofuxiang"])
def test_each_page_of_the_branches_is_the_page_of_one_sorted_query(mixed_queue, units, unit_name, size):
    unit = units[unit_name]
    with CaptureQueriesContext(connection) as captured:
        branched = _pages(unit, size=size, branched=True)
    # The pages were read from the branches, not by the single query's fallback.
    assert any(" UNION " in query["sql"] for query in captured.captured_queries)
    assert branched == _pages(unit, size=size, branched=False)
    assert any(branched)


def test_an_empty_queue_has_an_empty_page(people, units, client):
    client.force_login(people["donghuamen_handler"])
    response = client.get(f"/desk/units/{units['donghuamen'].pk}/queue/")
    assert response.status_code == 200 and list(response.context["page"]) == []


def test_the_branches_hold_exactly_the_queue(mixed_queue, people, units):
    for unit_name, person in (("donghuamen", "donghuamen_handler"), ("duofuxiang", "duofuxiang_handler")):
        unit = units[unit_name]
        queue = set(queue_for(user=people[person], unit=unit).values_list("pk", flat=True))
        branches = set().union(*(set(branch.values_list("pk", flat=True)) for branch in queue_branches(unit=unit)))
        assert branches == queue and queue
