"""The overdue CSV is streamed: chunks of rows leave as they are read from the
database, with the same rows as a whole file and in the language of the request
that asked for it, whenever the chunks are read."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from dispatch.reports import exports

OVERDUE = reverse("dispatch:overdue")
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
LATER = T0 + timedelta(hours=30)

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_overdue(submit):
    numbers = []
    for hour in range(3):
        with time_machine.travel(T0 + timedelta(hours=hour), tick=False):
            numbers.append(submit().tracking_number)
    return numbers


def _export(client, *, language="en"):
    with time_machine.travel(LATER, tick=False):
        return client.get(OVERDUE, {"format": "csv"}, HTTP_ACCEPT_LANGUAGE=language)


def test_the_csv_leaves_in_chunks_of_rows_longest_overdue_first(client, people, three_overdue, monkeypatch):
    monkeypatch.setattr(exports, "CSV_BATCH", 1)
    client.force_login(people["city_supervisor"])
    response = _export(client)

    assert response.streaming
    chunks = list(response.streaming_content)
    assert len(chunks) == 3  # the header rides with the first row, then a row a chunk
    header, *rows = csv.reader(io.StringIO(b"".join(chunks).decode("utf-8-sig")))
    assert header[0] == "Tracking number"
    assert [row[0] for row in rows] == three_overdue
    assert [row[9] for row in rows] == ["6.0", "5.0", "4.0"]


def test_rows_are_read_from_the_database_while_streaming_not_before(client, people, three_overdue):
    client.force_login(people["city_supervisor"])
    response = _export(client)
    with CaptureQueriesContext(connection) as captured:
        body = response.getvalue()
    assert any("dispatch_assignment" in query["sql"] for query in captured.captured_queries)
    assert body.count(b"\n") == 4


def test_streamed_labels_stay_in_the_requests_language(client, people, three_overdue):
    client.force_login(people["city_supervisor"])
    response = _export(client, language="zh-hans")
    with translation.override("en"):
        header, first, *_ = csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig")))
    assert header[0] == "工单编号"
    assert (first[4], first[7]) == ("投诉", "待签收")  # the demand type and the status


def test_an_empty_export_is_the_header_alone(client, people):
    client.force_login(people["city_supervisor"])
    response = _export(client)
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert len(rows) == 1 and rows[0][0] == "Tracking number"
