"""Demand type and channel in the desk's lists: shown in every row of the unit
queue, triage and the overdue report, filtered in SQL (a bad value is shown and
left out), counted in the overdue summary, and exported as two columns in the
reader's language. Rows from before the fields existed read web / complaint."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from complaints.models import Channel, DemandType
from tests.dispatch.trees import trees_built

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in Beijing
LATER = T0 + timedelta(hours=30)  # every order filed at T0 is past its contact deadline
OVERDUE = reverse("dispatch:overdue")
TRIAGE = reverse("dispatch:triage")


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def mixed(submit):
    """Three noise orders for 东华门街道, filed at T0: an old-style one (the defaults),
    a praise by hotline and a report of wrongdoing from the app."""
    with time_machine.travel(T0, tick=False):
        return {
            "plain": submit(),
            "praise": submit(demand_type=DemandType.PRAISE, channel=Channel.HOTLINE, resident_phone="13900000001"),
            "report": submit(demand_type=DemandType.REPORT, channel=Channel.APP, resident_phone="13900000002"),
        }


def _queue(client, unit, **params):
    return client.get(reverse("dispatch:queue", args=[unit.pk]), params)


def _numbers(page) -> set[str]:
    return {row.complaint.tracking_number for row in page}


def _row_of(html: str, number: str) -> str:
    start = html.index(f">{number}</a>")
    return html[start : html.index("</tr>", start)]


# The unit queue


def test_each_queue_row_shows_its_type_and_channel(client, people, units, mixed):
    client.force_login(people["donghuamen_handler"])
    html = _queue(client, units["donghuamen"]).content.decode()

    assert "demand-praise" in _row_of(html, mixed["praise"].tracking_number)
    assert "Praise" in _row_of(html, mixed["praise"].tracking_number)
    assert "Hotline" in _row_of(html, mixed["praise"].tracking_number)
    plain = _row_of(html, mixed["plain"].tracking_number)
    assert "Complaint" in plain and "Web" in plain


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"demand_type": "praise"}, ["praise"]),
        ({"demand_type": "complaint"}, ["plain"]),
        ({"channel": "app"}, ["report"]),
        ({"channel": "web"}, ["plain"]),
        ({"demand_type": "praise", "channel": "app"}, []),
        ({"demand_type": "consultation"}, []),
        ({}, ["plain", "praise", "report"]),
    ],
)
def test_the_queue_filters_narrow_by_type_and_channel(client, people, units, mixed, params, expected):
    client.force_login(people["donghuamen_handler"])
    response = _queue(client, units["donghuamen"], **params)

    assert response.status_code == 200
    assert _numbers(response.context["page"]) == {mixed[key].tracking_number for key in expected}


@pytest.mark.parametrize("params", [{"demand_type": "nonsense"}, {"channel": "fax"}])
def test_a_bad_queue_filter_is_shown_and_left_out(client, people, units, mixed, params):
    client.force_login(people["donghuamen_handler"])
    response = _queue(client, units["donghuamen"], **params)

    assert response.status_code == 200
    (name,) = params
    assert response.context["filter"].form.errors[name]
    assert "field-error" in response.content.decode()
    assert len(response.context["page"].object_list) == 3


def _queries(client, url, params) -> int:
    trees_built()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def test_filtering_by_type_costs_the_same_for_any_number_of_rows(client, people, units, submit, settings):
    settings.WHISTLE_PAGE_SIZE = 50
    client.force_login(people["donghuamen_handler"])
    url = reverse("dispatch:queue", args=[units["donghuamen"].pk])
    params = {"demand_type": "help", "channel": "web"}

    def add(count):
        for i in range(count):
            submit(demand_type=DemandType.HELP if i % 2 else DemandType.SUGGESTION, resident_phone=f"1390000{i:04d}")

    add(4)
    few = _queries(client, url, params)
    add(26)
    many = _queries(client, url, params)

    assert few == many
    assert many <= 8  # as the unfiltered queue (tests/dispatch/test_queue_views.py)


# Triage


@pytest.fixture
def in_triage(submit):
    """Two orders no rule routes: a consultation by hotline, and an old-style one."""
    return {
        "consultation": submit(
            category="other_misc",
            demand_type=DemandType.CONSULTATION,
            channel=Channel.HOTLINE,
            resident_phone="13900000003",
        ),
        "plain": submit(category="other_misc"),
    }


def test_triage_rows_show_the_type_and_filter_by_it(client, people, in_triage):
    client.force_login(people["dispatcher"])
    everything = client.get(TRIAGE)
    html = everything.content.decode()

    assert "Consultation" in _row_of(html, in_triage["consultation"].tracking_number)
    assert "Hotline" in _row_of(html, in_triage["consultation"].tracking_number)
    assert "Complaint" in _row_of(html, in_triage["plain"].tracking_number)
    consultations = client.get(TRIAGE, {"demand_type": "consultation"})
    assert [row.complaint for row, _ in consultations.context["rows"]] == [in_triage["consultation"]]
    by_web = client.get(TRIAGE, {"channel": "web"})
    assert [row.complaint for row, _ in by_web.context["rows"]] == [in_triage["plain"]]
    none = client.get(TRIAGE, {"demand_type": "praise"})
    assert "No order in triage matches these filters." in none.content.decode()


def test_a_bad_triage_filter_is_shown_and_left_out(client, people, in_triage):
    client.force_login(people["dispatcher"])
    response = client.get(TRIAGE, {"demand_type": "<script>"})

    assert response.status_code == 200
    assert response.context["filter"].form.errors["demand_type"]
    assert len(response.context["rows"]) == 2
    assert "<script>" not in response.content.decode()


def test_a_handler_cannot_reach_triage_with_a_filter(client, people, in_triage):
    client.force_login(people["donghuamen_handler"])
    assert client.get(TRIAGE, {"demand_type": "consultation"}).status_code == 404


# The overdue report and its exports


def _overdue(client, **params):
    with time_machine.travel(LATER, tick=False):
        return client.get(OVERDUE, params)


def test_overdue_rows_show_the_type_and_filter_by_it(client, people, mixed):
    client.force_login(people["dongcheng_supervisor"])
    html = _overdue(client).content.decode()
    assert "Report of wrongdoing" in _row_of(html, mixed["report"].tracking_number)

    response = _overdue(client, demand_type="report")
    assert _numbers(response.context["page"]) == {mixed["report"].tracking_number}
    assert [row["count"] for row in response.context["summary"]] == [1]  # the summary counts the same rows
    assert _numbers(_overdue(client, channel="hotline").context["page"]) == {mixed["praise"].tracking_number}
    nothing = _overdue(client, demand_type="consultation")
    assert "No overdue order matches these filters." in nothing.content.decode()


def test_a_bad_overdue_filter_shows_its_error_and_every_order(client, people, mixed):
    client.force_login(people["dongcheng_supervisor"])
    response = _overdue(client, demand_type="nonsense", channel="web")

    assert response.status_code == 200
    assert "field-error" in response.content.decode()
    # The bad type falls back to any type; the good channel still applies.
    assert _numbers(response.context["page"]) == {mixed["plain"].tracking_number}


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


def test_the_csv_export_has_type_and_channel_columns_in_english(client, people, mixed):
    client.force_login(people["dongcheng_supervisor"])
    header, *rows = _csv(_overdue(client, format="csv", sort="category"))

    kind, channel = header.index("Demand type"), header.index("Channel")
    assert (kind, channel) == (header.index("Category") + 1, header.index("Category") + 2)
    by_number = {row[0]: (row[kind], row[channel]) for row in rows}
    assert by_number == {
        mixed["plain"].tracking_number: ("Complaint", "Web"),
        mixed["praise"].tracking_number: ("Praise", "Hotline"),
        mixed["report"].tracking_number: ("Report of wrongdoing", "App"),
    }


def test_the_export_has_the_columns_in_chinese(client, people, mixed):
    client.force_login(people["dongcheng_supervisor"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    header, *rows = _csv(_overdue(client, format="csv"))

    kind, channel = header.index("诉求类型"), header.index("渠道")
    by_number = {row[0]: (row[kind], row[channel]) for row in rows}
    assert by_number[mixed["praise"].tracking_number] == ("表扬", "热线电话")
    assert by_number[mixed["plain"].tracking_number] == ("投诉", "网站")


def test_the_xlsx_export_has_the_columns_and_follows_the_filter(client, people, mixed):
    client.force_login(people["dongcheng_supervisor"])
    response = _overdue(client, format="xlsx", channel="app")

    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows == [rows[0]] and rows[0][0] == mixed["report"].tracking_number
    assert rows[0][header.index("Demand type")] == "Report of wrongdoing"
    assert rows[0][header.index("Channel")] == "App"


def test_the_queues_live_news_follow_the_type_filter(client, people, units, mixed):
    client.force_login(people["donghuamen_handler"])
    url = reverse("dispatch:queue_live", args=[units["donghuamen"].pk])

    news = client.get(url, {"after": "0", "demand_type": "praise"}).json()
    refused = client.get(url, {"after": "0", "demand_type": "nonsense"})

    assert news["counts"]["total"] == 1
    assert mixed["praise"].tracking_number in news["rows_html"] and "demand-praise" in news["rows_html"]
    assert mixed["report"].tracking_number not in news["rows_html"]
    assert refused.status_code == 400 and "demand_type" in refused.json()["errors"]
