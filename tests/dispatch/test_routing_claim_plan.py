# ruff: noqa: F811
"""A routing trigger's claim stays small however many complaints wait in triage: on
PostgreSQL, in the 30,000-complaint city of the list plans with 3,000 of them
`submitted` and waiting in triage, a filing's trigger reads the waiting complaints on
the status index from its time bound on, never past the triage backlog; the drain's
trigger (no bound) is the one that reads them all."""

import json
from datetime import timedelta

import pytest
from django.db import connection, transaction

from dispatch.services.routing_batch import _waiting
from tests.dispatch.test_list_query_plans import IN_TRIAGE, NOW, city  # noqa: F401 - the shared city

pytestmark = [pytest.mark.services(redis=False), pytest.mark.django_db]


def _analyzed(queryset) -> dict:
    sql, params = queryset[:100].query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, params)
        return cursor.fetchone()[0][0]["Plan"]


def _scans_of(plan: dict, table: str) -> list[dict]:
    found = [plan] if plan.get("Relation Name") == table else []
    for child in plan.get("Plans", []):
        found += _scans_of(child, table)
    return found


def test_a_filings_trigger_claims_from_its_bound_and_reads_no_triage_backlog(city):
    bounded = _analyzed(_waiting().filter(submitted_at__gte=NOW - timedelta(minutes=5)))
    (scan,) = _scans_of(bounded, "complaints_complaint")
    assert scan["Node Type"] in ("Index Scan", "Index Only Scan"), json.dumps(scan)[:400]
    assert "submitted_at" in scan.get("Index Cond", ""), scan.get("Index Cond")
    assert scan["Actual Rows"] < 10  # not the 3,000 complaints waiting in triage

    everything = _analyzed(_waiting())
    (scan,) = _scans_of(everything, "complaints_complaint")
    assert scan["Actual Rows"] >= IN_TRIAGE  # what the bound spares each claim
