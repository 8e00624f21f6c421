"""What one intake POST costs the database, door by door: the statements it runs
and the commits it makes. Each test runs with real transactions (so COMMIT is seen,
as Django logs it) and with the category and place trees already in memory, as
they are in a running process. Routing is the worker's work, not the POST's: the
announcement is counted, not routed.

Before the trees were kept in memory and the grant moved to a signed cookie, the
web form ran 22 statements and 2 commits (the second the session row), the API 11
and Open311 9."""

from unittest import mock
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from complaints.hooks import complaint_submitted
from complaints.models import Complaint
from complaints.open311.keys import open311_client_create
from complaints.services.categories import category_tree
from complaints.services.regions import place_tree

# Looking up the form's token; the photo service's and complaint_submit's own resend
# checks; the first complaint of the same matter (repeats); the complaint, its event;
# whether photos are attached already.
WEB_STATEMENTS = 7
# The first complaint of the same matter; the complaint and its event.
API_STATEMENTS = 3
# The client's key; the first of the matter; the complaint, its event, the Open311 row.
OPEN311_STATEMENTS = 5
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")
LIST_TABLES = ("complaints_category", "complaints_categoryquestion", "complaints_region", "django_session")

pytestmark = pytest.mark.django_db(transaction=True)


class Cost:
    def __init__(self, captured: CaptureQueriesContext):
        sql = [query["sql"] for query in captured.captured_queries]
        self.statements = [s for s in sql if not s.startswith(TRANSACTION_CONTROL)]
        self.commits = sum(1 for s in sql if s == "COMMIT")

    def touching(self, tables) -> list[str]:
        return [s for s in self.statements if any(f'FROM "{table}"' in s for table in tables)]


@pytest.fixture
def announced():
    """The complaints announced for routing, in order; nothing is routed."""
    ids = []

    def count(sender, complaint_id, **kwargs):
        ids.append(complaint_id)

    with mock.patch.object(complaint_submitted, "receivers", []):
        complaint_submitted.connect(count, weak=False)
        yield ids


@pytest.fixture
def warm(beijing, categories, rules):
    """The trees as a process holds them after its first request."""
    category_tree()
    place_tree()


def _cost(post) -> tuple[Cost, object]:
    with CaptureQueriesContext(connection) as captured:
        response = post()
    return Cost(captured), response


def test_a_filed_web_form_costs_seven_statements_and_one_commit(warm, form_data, announced):
    client = Client()

    cost, response = _cost(lambda: client.post(reverse("complaints:file"), form_data()))

    assert response.status_code == 303
    assert len(cost.statements) == WEB_STATEMENTS, cost.statements
    assert cost.commits == 1
    assert cost.touching(LIST_TABLES) == []
    assert announced == [Complaint.objects.get().pk]


def test_a_web_form_sent_back_with_mistakes_reads_no_list(warm, form_data, announced):
    client = Client(headers={"Accept-Language": "en"})

    cost, response = _cost(lambda: client.post(reverse("complaints:file"), form_data(description="", street="1")))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Describe the problem." in html
    assert "Choose a street or township from the list." in html
    # Only the form's token is looked up (has it filed already?); nothing is written.
    assert len(cost.statements) == 1, cost.statements
    assert cost.commits == 0
    assert announced == []


def test_redrawing_the_places_without_javascript_costs_no_query(warm, form_data):
    client = Client()
    data = form_data(refresh_places="1", street="", community="")

    cost, response = _cost(lambda: client.post(reverse("complaints:file"), data))

    assert response.status_code == 200
    assert "东华门街道" in response.content.decode()
    assert cost.statements == []


def test_the_empty_form_costs_no_query(warm):
    cost, response = _cost(lambda: Client().get(reverse("complaints:file")))

    assert response.status_code == 200
    assert "施工噪声" in response.content.decode()
    assert cost.statements == []


def test_an_api_filing_costs_three_statements_and_one_commit(warm, categories, announced):
    body = {
        "category": categories["noise_construction"].pk,
        "region": "110101001001",
        "address": "东华门大街 1 号",
        "description": "凌晨两点还在施工，噪声很大",
        "resident_name": "张三",
        "resident_phone": "138 0013 8000",
    }

    cost, response = _cost(lambda: APIClient().post("/api/v1/complaints/", body, format="json"))

    assert response.status_code == 201, response.content
    assert response.json()["place"] == ["东城区", "东华门街道", "多福巷社区"]
    assert len(cost.statements) == API_STATEMENTS, cost.statements
    assert cost.commits == 1
    assert cost.touching(LIST_TABLES) == []
    assert announced == [Complaint.objects.get().pk]


def test_an_open311_filing_costs_five_statements_and_one_commit(warm, announced):
    _row, key = open311_client_create(name="城市随手拍")
    filing = {
        "api_key": key,
        "service_code": "noise.construction",
        "address_id": "110101001001",
        "address_string": "东华门大街 1 号",
        "description": "凌晨两点还在施工，噪声很大",
        "first_name": "三",
        "last_name": "张",
        "phone": "13800138000",
    }

    cost, response = _cost(
        lambda: Client().post(
            "/open311/v2/requests.json", urlencode(filing), content_type="application/x-www-form-urlencoded"
        )
    )

    assert response.status_code == 200, response.content
    assert len(cost.statements) == OPEN311_STATEMENTS, cost.statements
    assert cost.commits == 1
    assert cost.touching(LIST_TABLES) == []
    assert announced == [Complaint.objects.get().pk]
