"""The unfiltered triage queue reads a page's ids as the union of its two ranges (the
emergencies, then the rest, each in age order: dispatch.selectors.triage.triage_branches):
on PostgreSQL every page holds the items, in the order, that the one query sorting every
open item gives, across the boundary between emergencies and the rest, with ties on the
time an item was opened, and past the end; a filtered queue is read by that one query."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from dispatch.models import TriageItem
from dispatch.selectors.triage import triage_branches, triage_page_list, triage_queue_ordered

pytestmark = [pytest.mark.services(redis=False), pytest.mark.django_db]

FIRE = "三楼着火了，有人被困"


@pytest.fixture
def waiting(submit):
    """Fifteen orders in triage, every fourth an emergency, opened in threes at the same time."""
    complaints = [submit(category="other_misc", **({"description": FIRE} if i % 4 == 2 else {})) for i in range(15)]
    start = timezone.now() - timedelta(hours=1)
    for index, complaint in enumerate(complaints):
        TriageItem.objects.filter(complaint=complaint).update(created_at=start + timedelta(minutes=index // 3))
    return complaints


def _pages(user, *, size: int, branched: bool) -> list[list[int]]:
    rows = triage_page_list(ordered=triage_queue_ordered(user=user), unfiltered_for=user if branched else None)
    return [[row.complaint_id for row in rows[start : start + size]] for start in range(0, 20, size)] + [
        list(rows[3:3])
    ]


@pytest.mark.parametrize("size", [1, 3, 4, 25])
def test_each_page_of_the_branches_is_the_page_of_one_sorted_query(waiting, people, size):
    dispatcher = people["dispatcher"]
    with CaptureQueriesContext(connection) as captured:
        branched = _pages(dispatcher, size=size, branched=True)
    # The pages were read from the branches, not by the single query's fallback.
    assert any(" UNION " in query["sql"] for query in captured.captured_queries)
    assert branched == _pages(dispatcher, size=size, branched=False)
    first = [complaint_id for page in branched for complaint_id in page][:4]
    assert first == [waiting[i].pk for i in (2, 6, 10, 14)]  # the emergencies first


def test_the_branches_hold_exactly_the_queue(waiting, people):
    dispatcher = people["dispatcher"]
    queue = set(triage_queue_ordered(user=dispatcher).values_list("pk", flat=True))
    emergencies, rest = (set(branch.values_list("pk", flat=True)) for branch in triage_branches(user=dispatcher))
    assert emergencies | rest == queue and not emergencies & rest
    assert len(emergencies) == 4


def test_a_filtered_page_is_read_by_the_one_query(client, waiting, people):
    client.force_login(people["dispatcher"])
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("dispatch:triage"), {"channel": "web"})
    assert response.status_code == 200 and len(response.context["rows"]) == 15
    assert not any(" UNION " in query["sql"] for query in captured.captured_queries)
    api = APIClient()
    api.force_authenticate(people["dispatcher"])
    with CaptureQueriesContext(connection) as captured:
        listed = api.get("/api/v1/triage/", {"channel": "web"})
    assert listed.status_code == 200 and listed.json()["count"] == 15
    assert not any(" UNION " in query["sql"] for query in captured.captured_queries)
