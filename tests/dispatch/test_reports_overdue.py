"""Overdue now, extended: sortable, counted per unit, exported as CSV and XLSX
with the same rows, no resident's personal data, the 12345 centre city-wide."""

import csv
import importlib
import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

OVERDUE = reverse("dispatch:overdue")
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in Beijing
LATER = T0 + timedelta(hours=30)


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def three_overdue(submit):
    """At LATER: noise at 多福巷 (东华门, 6 h overdue), food at 银闸 (东城区市场监管局,
    5 h), noise at 建外 (建外街道, 4 h)."""
    with time_machine.travel(T0, tick=False):
        noise = submit(resident_name="王小明", resident_phone="13912345678")
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        food = submit(category="market_food", region="yinzha")
    with time_machine.travel(T0 + timedelta(hours=2), tick=False):
        chaoyang = submit(region="jianwai")
    return {"noise": noise, "food": food, "chaoyang": chaoyang}


def listed(response) -> list[str]:
    return [a.complaint.tracking_number for a in response.context["page"]]


def get(client, **params):
    with time_machine.travel(LATER, tick=False):
        return client.get(OVERDUE, params)


def test_default_sort_is_longest_overdue_first(client, three_overdue, people):
    client.force_login(people["city_supervisor"])
    t = three_overdue
    expected = [t["noise"].tracking_number, t["food"].tracking_number, t["chaoyang"].tracking_number]
    response = get(client)
    assert listed(response) == expected
    assert "3 orders overdue" in response.content.decode()
    assert listed(get(client, sort="overdue")) == expected


def test_sorting_by_unit_follows_the_unit_tree(client, three_overdue, people):
    client.force_login(people["city_supervisor"])
    t = three_overdue
    # Unit paths: bj/d-110101/dep-110101-market/ < bj/d-110101/s-110101001/ < bj/d-110105/…
    assert listed(get(client, sort="unit")) == [
        t["food"].tracking_number,
        t["noise"].tracking_number,
        t["chaoyang"].tracking_number,
    ]


def test_sorting_by_category_groups_categories(client, three_overdue, people):
    client.force_login(people["city_supervisor"])
    t = three_overdue
    assert listed(get(client, sort="category")) == [
        t["food"].tracking_number,
        t["noise"].tracking_number,
        t["chaoyang"].tracking_number,
    ]


@pytest.mark.parametrize("sort", ["nonsense", "", "-next_due", "complaint__resident_phone"])
def test_an_unknown_sort_falls_back_to_the_default(client, three_overdue, people, sort):
    client.force_login(people["city_supervisor"])
    response = get(client, sort=sort)
    assert response.status_code == 200
    assert response.context["sort"] == "overdue"
    assert listed(response)[0] == three_overdue["noise"].tracking_number


def test_the_summary_counts_overdue_orders_per_unit(client, submit, three_overdue, people):
    with time_machine.travel(T0 + timedelta(hours=3), tick=False):
        submit(region="yinzha")
    client.force_login(people["dongcheng_supervisor"])
    summary = [(row["unit__name"], row["count"]) for row in get(client).context["summary"]]
    assert summary == [("东华门街道办事处", 2), ("东城区市场监督管理局", 1)]


def test_the_summary_shows_the_units_with_most_overdue_first_and_the_rest_behind_a_link(
    client, submit, three_overdue, people, monkeypatch
):
    # dispatch.views exports the view under the module's name: reach the module itself.
    monkeypatch.setattr(importlib.import_module("dispatch.views.overdue"), "SUMMARY_ROWS", 2)
    with time_machine.travel(T0 + timedelta(hours=3), tick=False):
        submit(region="yinzha")
    client.force_login(people["city_supervisor"])
    capped = get(client)
    assert [row["count"] for row in capped.context["summary"]] == [2, 1]
    assert "Show 1 more unit" in capped.content.decode()
    assert "4 orders overdue" in capped.content.decode()  # the count is of every unit, shown or not
    everything = get(client, units="all")
    assert len(everything.context["summary"]) == 3
    assert "more unit" not in everything.content.decode()


def _csv_rows(response) -> list[list[str]]:
    body = response.getvalue()
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_csv_export_has_the_pages_rows_in_its_order_and_no_personal_data(client, three_overdue, people):
    client.force_login(people["dongcheng_supervisor"])
    response = get(client, format="csv", sort="unit")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="overdue-20260303-1500.csv"'
    header, *rows = _csv_rows(response)
    assert header[:2] == ["Tracking number", "Unit"] and header[-2:] == ["Hours overdue", "Summons"]
    assert [row[0] for row in rows] == [three_overdue["food"].tracking_number, three_overdue["noise"].tracking_number]
    noise = rows[1]
    assert noise[1:7] == [
        "东华门街道办事处",
        "东华门街道办事处",
        "噪声扰民 / 施工噪声",
        "Complaint",  # the demand type and the channel, in the reader's language
        "Web",
        "东华门街道 › 多福巷社区",
    ]
    assert noise[8:] == ["2026-03-03 09:00", "6.0", ""]  # due in Beijing time, 24 h after filing
    text = "\n".join(",".join(row) for row in [header, *rows])
    for personal in ("王小明", "王*", "13912345678", "139****5678", "张三", "13800138000"):
        assert personal not in text


def test_xlsx_export_opens_with_the_same_rows(client, three_overdue, people):
    client.force_login(people["city_supervisor"])
    csv_rows = _csv_rows(get(client, format="csv"))
    response = get(client, format="xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="overdue-20260303-1500.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == csv_rows[0]
    assert [row[0] for row in values[1:]] == [row[0] for row in csv_rows[1:]]
    assert values[1][8] == datetime(2026, 3, 3, 9, 0)
    assert values[1][9] == 6.0
    assert sheet.freeze_panes == "A2"  # the header stays in view
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDEFGHIJK"]
    assert widths[0] >= 18 and widths[2] >= 18 and all(width > 8 for width in widths)
    assert "王小明" not in str(values) and "13912345678" not in str(values)


def test_an_unknown_format_shows_the_page(client, three_overdue, people):
    client.force_login(people["city_supervisor"])
    response = get(client, format="pdf")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")


def test_narrowing_to_a_unit_shows_and_exports_only_its_subtree(client, three_overdue, people, units):
    client.force_login(people["city_supervisor"])
    response = get(client, unit=units["chaoyang"].pk)
    assert listed(response) == [three_overdue["chaoyang"].tracking_number]
    rows = _csv_rows(get(client, unit=units["chaoyang"].pk, format="csv"))[1:]
    assert [row[0] for row in rows] == [three_overdue["chaoyang"].tracking_number]


def test_the_12345_centre_sees_overdue_orders_city_wide(client, three_overdue, people):
    client.force_login(people["dispatcher"])
    assert len(listed(get(client))) == 3


def test_a_supervisor_cannot_export_another_districts_orders(client, three_overdue, people, units):
    client.force_login(people["dongcheng_supervisor"])
    response = get(client, unit=units["chaoyang"].pk, format="csv")
    assert response.status_code == 403
    assert three_overdue["chaoyang"].tracking_number not in response.content.decode()
    assert "not in the part of the city you supervise" in response.content.decode()


def _queries(client, **params) -> tuple[int, int]:
    get(client, **params)  # the process's category and place trees, built once like any later page's
    with CaptureQueriesContext(connection) as captured:
        response = get(client, **params)
    assert response.status_code == 200
    return len(captured), len(response.context["page"].object_list)


@pytest.mark.parametrize("sort", ["overdue", "unit", "category"])
def test_the_page_query_count_does_not_grow_with_orders(client, submit, people, settings, sort):
    settings.WHISTLE_PAGE_SIZE = 50
    client.force_login(people["city_supervisor"])
    regions = ["yinzha", "jianwai", "duofuxiang", "longfusi"]

    def add(n):
        with time_machine.travel(T0, tick=False):
            for i in range(n):
                submit(region=regions[i % 4], category="market_food" if i % 3 == 0 else "noise_construction")

    add(5)
    with_five, rows = _queries(client, sort=sort)
    assert rows == 5
    add(35)
    with_forty, rows = _queries(client, sort=sort)
    assert rows == 40
    assert with_five == with_forty
    assert with_forty <= 8


def test_the_export_query_count_does_not_grow_with_orders(client, submit, people):
    client.force_login(people["city_supervisor"])

    def export_queries():
        with CaptureQueriesContext(connection) as captured:
            assert get(client, format="xlsx").status_code == 200
        return len(captured)

    with time_machine.travel(T0, tick=False):
        for _ in range(5):
            submit()
    export_queries()  # a process's first export builds its place snapshot: once, not per order
    with_five = export_queries()
    with time_machine.travel(T0, tick=False):
        for _ in range(35):
            submit(region="jianwai")
    assert export_queries() == with_five
