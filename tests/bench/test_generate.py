"""`make bench`'s generator writes a city whose rows obey every rule the portal's
own services keep: the states, one live lead per open order, the triage queue,
facts the timeline knows, due times the sweep agrees with, sequences past the ids.
PostgreSQL only (the generator is set-based PostgreSQL SQL)."""

import sys
from datetime import UTC, datetime

import pytest
from django.db import connection, transaction
from django.db.models import F

from bench.generate import TABLES, city_generate
from complaints.models import Complaint, ComplaintEvent, ComplaintStatus
from complaints.timeline.facts import FACTS
from dispatch.models import ACTIVE_STATUSES, Assignment, AssignmentRole, TriageItem, Unit
from dispatch.services.alerts import alerts_sweep
from dispatch.services.seed import demo_accounts_seed, reference_seed
from dispatch.services.seed.knowledge import knowledge_seed

pytestmark = [pytest.mark.services(redis=False), pytest.mark.django_db]

N = 3000
NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker):
    """The reference data and a city of N complaints, once for the module, in a
    transaction rolled back after the last test."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            if connection.vendor != "postgresql":
                pytest.skip("the generator is PostgreSQL SQL")
            reference_seed()
            demo_accounts_seed()
            knowledge_seed()
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_constraint WHERE contype = 'f'")
                keys_before = cursor.fetchone()[0]
                generated = city_generate(cursor=cursor, n=N, now=NOW, log=lambda line: None)
        except BaseException:
            outer.__exit__(*sys.exc_info())
            raise
    yield {"generated": generated, "keys_before": keys_before}
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def test_every_state_is_present(city):
    statuses = set(Complaint.objects.values_list("status", flat=True).distinct())
    expected = set(ComplaintStatus.values) - {ComplaintStatus.REOPENED}  # reopened is a moment, not a state kept
    assert expected <= statuses
    assert Complaint.objects.count() == N
    assert Complaint.objects.filter(reopen_count=1).exists()


def test_each_open_order_has_one_live_lead_and_the_rest_none(city):
    worked = Complaint.objects.filter(status__in=["assigned", "accepted", "in_progress"])
    leads = Assignment.objects.filter(role=AssignmentRole.LEAD, status__in=ACTIVE_STATUSES)
    assert leads.count() == worked.count()
    assert set(leads.values_list("complaint_id", flat=True)) == set(worked.values_list("pk", flat=True))
    for status in ("assigned", "accepted", "in_progress"):
        assert not leads.filter(complaint__status=status).exclude(status=status).exists()
    assert not leads.filter(next_due__isnull=True).exists()


def test_orders_waiting_for_the_centre_are_in_triage(city):
    waiting = Complaint.objects.filter(status__in=["submitted", "returned"])
    open_items = TriageItem.objects.filter(closed_at__isnull=True)
    assert set(open_items.values_list("complaint_id", flat=True)) == set(waiting.values_list("pk", flat=True))
    assert (
        waiting.filter(status="submitted", place_to_confirm=True).count() == waiting.filter(status="submitted").count()
    )


def test_side_paths_are_there(city):
    a = Assignment.objects
    assert a.filter(role=AssignmentRole.CO_HANDLER, lead__isnull=False).exists()  # summonses
    assert a.filter(status="returned", returned_at__isnull=False).exists()  # re-dispatches
    assert a.filter(reason="reopened").exists()
    assert a.exclude(holder_id=F("unit_id")).exists()  # hand-downs
    assert Complaint.objects.filter(direct_answer__isnull=False, status="closed").exists()
    assert Complaint.objects.filter(merged_into__isnull=False, status="merged").exists()
    with connection.cursor() as cursor:
        for table in ("dispatch_extension", "dispatch_alert", "complaints_rating"):
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - constant names
            assert cursor.fetchone()[0] > 0, table


def test_the_hot_street_holds_many_open_orders(city):
    unit = Unit.objects.get(code="s-110101001")
    hot = dict(city["generated"].hot)["110101001"]
    assert Assignment.objects.filter(holder=unit, status__in=ACTIVE_STATUSES).count() >= hot


def test_events_are_facts_the_timeline_knows(city):
    rows = ComplaintEvent.objects.values_list("kind", "data__fact", "is_public").distinct()
    for kind, fact, public in rows:
        assert fact in FACTS, fact
        assert FACTS[fact].kind == kind, fact
        assert FACTS[fact].public == public, fact
    assert ComplaintEvent.objects.filter(kind="submitted").count() == N


def test_the_sweep_has_nothing_left_to_send_at_generation_time(city):
    live = Assignment.objects.filter(status__in=ACTIVE_STATUSES, next_alert_at__isnull=False)
    assert not live.filter(next_alert_at__lte=NOW).exists()
    assert alerts_sweep(now=NOW).alerts == 0


def test_constraints_are_back_and_sequences_past_the_ids(city):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), bool_and(convalidated) FROM pg_constraint WHERE contype = 'f'")
        keys, validated = cursor.fetchone()
        assert keys == city["keys_before"] and validated
        for table in TABLES:
            cursor.execute(
                f"SELECT coalesce(max(id), 0), nextval(pg_get_serial_sequence('{table}', 'id')) FROM {table}"
            )  # noqa: S608
            largest, following = cursor.fetchone()
            assert following > largest, table
        cursor.execute(
            "SELECT count(*) FROM dispatch_assignment WHERE resolve_due < assigned_at "
            "OR (role = 'co_handler') <> (lead_id IS NOT NULL)"
        )
        assert cursor.fetchone()[0] == 0
