"""Reports and exports read from the read replica; pages and every write use the primary.

The router's decisions are checked on their own first. Then, through the test
client, with a second alias `replica` on the test database (another connection to
the same rows, as a streaming replica is) and committed data, so that each query
can be seen on the connection that ran it.
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.http import JsonResponse
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse

from complaints.models import Complaint, Region
from dispatch.models import Assignment, Membership
from portal.db_router import REPLICA_DB_ALIAS, replica_reads
from portal.middleware import REPLICA_READ_VIEWS

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
PAST_CONTACT_DUE = T0 + timedelta(hours=30)
REPORT_TABLES = ("complaints_complaint", "dispatch_assignment")


@pytest.fixture
def replica_configured(monkeypatch):
    """The router sees a replica alias (no connection to it is opened)."""
    monkeypatch.setitem(connections.settings, REPLICA_DB_ALIAS, {})


@pytest.fixture
def replica(transactional_db):
    """A `replica` alias on the test database, configured as settings.py does from
    DATABASE_REPLICA_URL; closed and forgotten after the test."""
    primary = connections[DEFAULT_DB_ALIAS].settings_dict
    connections.settings[REPLICA_DB_ALIAS] = {**primary, "TEST": {**primary["TEST"], "MIRROR": DEFAULT_DB_ALIAS}}
    # Opened here, since the test case refuses to open aliases it was not told of.
    connections[REPLICA_DB_ALIAS].connect()
    yield connections[REPLICA_DB_ALIAS]
    connections[REPLICA_DB_ALIAS].close()
    del connections[REPLICA_DB_ALIAS]
    del connections.settings[REPLICA_DB_ALIAS]


def _tables_read(queries) -> set[str]:
    return {table for table in REPORT_TABLES for query in queries if table in query["sql"]}


# --- The router's decisions ------------------------------------------------------


def test_without_a_replica_every_read_stays_on_the_primary():
    with replica_reads():
        assert router.db_for_read(Complaint) == DEFAULT_DB_ALIAS
        assert Assignment.objects.all().db == DEFAULT_DB_ALIAS


def test_report_data_is_read_from_the_replica_only_inside_replica_reads(replica_configured):
    assert Complaint.objects.all().db == DEFAULT_DB_ALIAS
    with replica_reads():
        assert Complaint.objects.all().db == REPLICA_DB_ALIAS
        assert Assignment.objects.all().db == REPLICA_DB_ALIAS
        assert Region.objects.all().db == REPLICA_DB_ALIAS
    assert Complaint.objects.all().db == DEFAULT_DB_ALIAS


def test_sessions_users_and_memberships_are_always_read_from_the_primary(replica_configured):
    with replica_reads():
        assert Session.objects.all().db == DEFAULT_DB_ALIAS
        assert get_user_model().objects.all().db == DEFAULT_DB_ALIAS
        assert Membership.objects.all().db == DEFAULT_DB_ALIAS


def test_writes_go_to_the_primary_and_reads_after_a_write_stay_there(replica_configured):
    with replica_reads():
        assert Complaint.objects.all().db == REPLICA_DB_ALIAS
        assert router.db_for_write(Complaint) == DEFAULT_DB_ALIAS
        assert Complaint.objects.all().db == DEFAULT_DB_ALIAS
    # The next block starts afresh.
    with replica_reads():
        assert Complaint.objects.all().db == REPLICA_DB_ALIAS


def test_reads_inside_a_transaction_on_the_primary_stay_on_it(db, replica_configured):
    # The `db` fixture holds every test in a transaction, as `transaction.atomic()` would.
    with replica_reads():
        assert Complaint.objects.all().db == DEFAULT_DB_ALIAS


def test_nothing_is_migrated_on_the_replica():
    assert router.allow_migrate(REPLICA_DB_ALIAS, "complaints", model_name="complaint") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "complaints", model_name="complaint") is True


# --- Which URLs read the replica ---------------------------------------------------


def _view_names(patterns, namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _view_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_report_url_reads_the_replica_and_every_listed_name_exists():
    names = set(_view_names(get_resolver().url_patterns))
    reports = {name for name in names if name.split(":")[-1].startswith("report_")}
    assert reports <= REPLICA_READ_VIEWS
    assert REPLICA_READ_VIEWS <= names
    assert "dispatch:queue" not in REPLICA_READ_VIEWS and "dispatch:order" not in REPLICA_READ_VIEWS


# --- Through the test client, with a second connection --------------------------------


def test_a_report_reads_report_data_from_the_replica(client, replica, submit, people):
    complaint = submit()
    client.force_login(people["dispatcher"])

    with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary:
        with CaptureQueriesContext(replica) as copy:
            response = client.get(reverse("dispatch:report_rankings"))

    assert response.status_code == 200
    assert "dispatch_assignment" in _tables_read(copy.captured_queries)
    assert _tables_read(primary.captured_queries) == set()
    # Who may see the report is decided on the primary.
    assert any("dispatch_membership" in query["sql"] for query in primary.captured_queries)
    assert not any("dispatch_membership" in query["sql"] for query in copy.captured_queries)
    assert Complaint.objects.filter(pk=complaint.pk).exists()


def test_a_page_that_is_not_a_report_reads_only_the_primary(client, replica, submit, people):
    complaint = submit()
    client.force_login(people["donghuamen_handler"])

    with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary:
        with CaptureQueriesContext(replica) as copy:
            response = client.get(reverse("dispatch:order", args=[complaint.tracking_number]))

    assert response.status_code == 200
    assert copy.captured_queries == []
    assert _tables_read(primary.captured_queries) == set(REPORT_TABLES)


def test_a_streamed_export_reads_its_rows_from_the_replica(client, replica, submit, people):
    with time_machine.travel(T0, tick=False):
        complaint = submit()
    client.force_login(people["city_supervisor"])

    with time_machine.travel(PAST_CONTACT_DUE, tick=False):
        response = client.get(reverse("dispatch:overdue"), {"format": "csv"})
        with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary:
            with CaptureQueriesContext(replica) as copy:
                body = b"".join(response.streaming_content).decode("utf-8-sig")

    assert response.status_code == 200
    assert complaint.tracking_number in body
    assert "dispatch_assignment" in _tables_read(copy.captured_queries)
    assert _tables_read(primary.captured_queries) == set()


# A report URL whose view writes, to see where each of its reads and its write go.
def _report_that_writes(request):
    region = Region.objects.order_by("pk").first()
    before = Region.objects.all().db
    Region.objects.filter(pk=region.pk).update(name="东华门街道（更名）")
    return JsonResponse({"before": before, "after": Region.objects.all().db})


report_urls = ([path("reports/rankings/", _report_that_writes, name="report_rankings")], "dispatch")
urlpatterns = [path("desk/", include(report_urls))]


@pytest.mark.urls(__name__)
def test_a_report_that_writes_writes_the_primary_and_then_reads_only_the_primary(client, replica, beijing):
    with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary:
        with CaptureQueriesContext(replica) as copy:
            response = client.get("/desk/reports/rankings/")

    assert response.json() == {"before": REPLICA_DB_ALIAS, "after": DEFAULT_DB_ALIAS}
    assert any(query["sql"].startswith("UPDATE") for query in primary.captured_queries)
    assert not any(query["sql"].startswith("UPDATE") for query in copy.captured_queries)
    assert Region.objects.filter(name="东华门街道（更名）").exists()


@pytest.mark.urls(__name__)
def test_a_post_to_a_report_url_reads_only_the_primary(client, replica, beijing):
    with CaptureQueriesContext(replica) as copy:
        response = client.post("/desk/reports/rankings/")

    assert response.json() == {"before": DEFAULT_DB_ALIAS, "after": DEFAULT_DB_ALIAS}
    assert copy.captured_queries == []
