"""The lists of the desk and the API cost a pinned number of queries: the same with one
row as with many, on a small page as on a large one (the page's ids are read first and
only they are joined), so a list's cost never grows with what the unit or the centre holds."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from complaints.services.categories import category_tree
from complaints.services.regions import place_tree
from dispatch.models import RoutingRule
from dispatch.selectors.triage import similar_kept
from dispatch.services.assignments import assignment_hand_down
from dispatch.services.routing_snapshot import routing_snapshot, routing_snapshot_forget

# Queries per list whatever its rows and page size: the session or token, the user, the
# reach, what the list itself reads (for a page: its count, its ids, its rows), and on the
# desk pages the menu's unread notifications. Categories and places (the filters' choices,
# each row's category and place) come from the process's trees, and the suggestions' rules
# and units from its routing snapshot, built before measuring.
PINNED = {
    "queue page": 8,  # the session, the user, the unit, the reach, counts, ids, rows, unread
    "queue page, filtered": 8,  # the category filter's choice is checked against the tree
    "queue live": 7,  # counts, ids, rows; no count query of the page
    "queue API": 4,  # the unit, the reach, the page, its rows joined
    "queue API, filtered": 5,  # + the category
    # count, ids, rows, returned units, two levels of similar orders (the streets' places and
    # the groups' members come from the trees). 13 and 10 until the rules, street offices and
    # departments were read from the routing snapshot instead of three queries a page.
    "triage page": 10,
    "triage API": 7,
}


def _unit_queue_lists(unit_id: int, *, page_size: int) -> dict[str, tuple[str, dict]]:
    queue = reverse("dispatch:queue", args=[unit_id])
    api = f"/api/v1/units/{unit_id}/queue/"
    return {
        "queue page": (queue, {}),
        "queue page, filtered": (queue, {"status": "assigned", "group": "noise"}),
        "queue live": (reverse("dispatch:queue_live", args=[unit_id]), {"after": 0}),
        "queue API": (api, {"page_size": page_size}),
        "queue API, filtered": (api, {"page_size": page_size, "category": "noise", "overdue": "false"}),
    }


def _queries(client, url: str, params: dict) -> int:
    # Each process builds the trees and the routing snapshot once (and again after an edit
    # of a category, place, rule or unit): not a cost of the list.
    category_tree(), place_tree(), routing_snapshot()
    similar_kept.forget()  # while triage's similar orders are counted for the page, at the most
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, (url, response.content[:300])
    return len(captured)


def _api_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(User.objects.get(pk=user.pk))  # as a fresh request loads the user
    return client


@pytest.fixture
def handler(people, units):
    from dispatch.models import Role
    from tests.factories import MembershipFactory

    user = people["donghuamen_handler"]
    MembershipFactory(user=user, unit=units["duofuxiang"], role=Role.HANDLER)
    return user


def _file_for_the_street(submit, handler, units, count: int) -> None:
    """`count` orders routed to 东华门街道, every third handed down to 多福巷社区."""
    for n in range(count):
        complaint = submit(region="yinzha" if n % 2 else "duofuxiang")
        if n % 3 == 0:
            assignment_hand_down(
                user=handler, assignment_id=complaint.assignments.get().pk, community_id=units["duofuxiang"].pk
            )


def _unit_queue_counts(client, user, unit_id: int, *, page_size: int) -> dict[str, int]:
    counts = {}
    for name, (url, params) in _unit_queue_lists(unit_id, page_size=page_size).items():
        counts[name] = _queries(_api_client(user) if "API" in name else client, url, params)
    return counts


def test_the_unit_queue_lists_cost_the_same_for_one_order_or_thirty_on_any_page_size(
    client, submit, handler, units, settings
):
    client.force_login(handler)
    street = units["donghuamen"].pk

    settings.WHISTLE_PAGE_SIZE = 5
    _file_for_the_street(submit, handler, units, 1)
    one = _unit_queue_counts(client, handler, street, page_size=1)

    _file_for_the_street(submit, handler, units, 29)
    small_page = _unit_queue_counts(client, handler, street, page_size=5)
    settings.WHISTLE_PAGE_SIZE = 50
    large_page = _unit_queue_counts(client, handler, street, page_size=50)

    expected = {name: PINNED[name] for name in one}
    assert one == expected
    assert small_page == expected
    assert large_page == expected


def test_the_community_queue_costs_the_same_as_the_street_queue(client, submit, handler, units):
    """A community reads its queue through the holder: the same pinned cost (a street's
    community filter is filled from the place tree, at no query)."""
    client.force_login(handler)
    _file_for_the_street(submit, handler, units, 9)
    counts = _unit_queue_counts(client, handler, units["duofuxiang"].pk, page_size=3)
    assert counts["queue page"] == PINNED["queue page"]
    assert counts["queue API"] == PINNED["queue API"]
    assert counts["queue live"] == PINNED["queue live"]


def _wait_in_triage(submit, count: int) -> None:
    """`count` orders no rule routes, over three places: similar orders, the group's fallback."""
    # A queryset's update sends no signal: the routing snapshot is forgotten by hand.
    RoutingRule.objects.update(is_active=False)
    routing_snapshot_forget()
    for n in range(count):
        submit(category="other_misc", region=("duofuxiang", "yinzha", "longfusi")[n % 3])
    RoutingRule.objects.update(is_active=True)
    routing_snapshot_forget()


def test_the_triage_lists_cost_the_same_for_one_item_or_thirty_on_any_page_size(client, submit, people, settings):
    dispatcher = people["dispatcher"]
    client.force_login(dispatcher)
    page, endpoint = reverse("dispatch:triage"), "/api/v1/triage/"

    settings.WHISTLE_PAGE_SIZE = 5
    _wait_in_triage(submit, 1)
    one = (_queries(client, page, {}), _queries(_api_client(dispatcher), endpoint, {"page_size": 1}))

    _wait_in_triage(submit, 29)
    small = (_queries(client, page, {}), _queries(_api_client(dispatcher), endpoint, {"page_size": 5}))
    settings.WHISTLE_PAGE_SIZE = 50
    large = (_queries(client, page, {}), _queries(_api_client(dispatcher), endpoint, {"page_size": 50}))

    pinned = (PINNED["triage page"], PINNED["triage API"])
    assert one == small == large == pinned


def test_a_triage_page_lists_its_rows_in_the_queue_order_with_their_return_counts(client, submit, people, settings):
    """The page read ids first and joined after: its rows are still the queue's, in order."""
    from dispatch.models import TriageItem

    settings.WHISTLE_PAGE_SIZE = 4
    _wait_in_triage(submit, 6)
    client.force_login(people["dispatcher"])
    first, second = (client.get(reverse("dispatch:triage"), {"page": n}).context["rows"] for n in (1, 2))
    shown = [item.pk for item, _ in [*first, *second]]
    assert shown == list(
        TriageItem.objects.filter(closed_at__isnull=True).order_by("created_at", "pk").values_list("pk", flat=True)
    )
    assert {item.returns for item, _ in first} == {0}


def test_the_open_emergency_index_covers_exactly_the_open_statuses_triage_asks_for():
    """PostgreSQL uses the partial index only when the query's statuses are the index's own."""
    from complaints.models import Complaint
    from complaints.models.complaint import OPEN_STATUSES

    index = next(index for index in Complaint._meta.indexes if index.name == "complaint_open_emergency")
    statuses = next(child[1] for child in index.condition.children if isinstance(child, tuple))
    assert sorted(statuses) == sorted(OPEN_STATUSES)
