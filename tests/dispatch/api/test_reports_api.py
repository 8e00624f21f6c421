"""The supervisor's reports as JSON: the same numbers as the report pages and the
`dispatch.reports` functions for the same data, a 400 naming every bad parameter
(where the pages fall back to defaults), and the pages' reach: a supervisor their
subtrees, the 12345 centre the city, a unit outside one's reach 403, others 404."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from complaints.models import Satisfaction
from complaints.services import complaint_rate
from dispatch.reports.hotspots import category_rises, street_rises
from dispatch.reports.overdue import overdue_now, overdue_summary
from dispatch.reports.periods import Month
from dispatch.reports.rankings import unit_rankings
from dispatch.reports.scope import report_scope_for
from dispatch.reports.trends import trend_rows
from dispatch.services.assignments import assignment_accept, assignment_record_contact, assignment_resolve
from dispatch.services.seed import policies_seed

BJ = ZoneInfo("Asia/Shanghai")
OCTOBER_DAY = datetime(2026, 10, 20, 9, tzinfo=BJ)
MONDAY = datetime(2026, 11, 2, 9, tzinfo=BJ)
NOW = datetime(2026, 11, 5, 9, tzinfo=BJ)
NOVEMBER = Month(2026, 11)
REPORTS = ["overdue", "rankings", "trends", "hotspots"]


@pytest.fixture
def city(categories, submit, people):
    """November so far: 东华门 resolves a noise order the same day and is rated
    satisfied; 景山 and 建外 never call their residents back; 东城区市场监管局 has a
    food order it has not touched. October: one noise order at 东华门."""
    policies_seed()
    with time_machine.travel(OCTOBER_DAY, tick=False):
        submit()
    with time_machine.travel(MONDAY, tick=False):
        resolved = submit()
        submit(region="longfusi")
        submit(region="jianwai")
        submit(category="market_food", description="过期食品，请查处")
    handler = people["donghuamen_handler"]
    assignment = resolved.assignments.get()
    with time_machine.travel(MONDAY + timedelta(hours=1), tick=False):
        assignment = assignment_accept(user=handler, assignment_id=assignment.pk, version=assignment.version)
        assignment = assignment_record_contact(
            user=handler, assignment_id=assignment.pk, note="电话联系", version=assignment.version
        )
    with time_machine.travel(MONDAY + timedelta(hours=5), tick=False):
        assignment_resolve(user=handler, assignment_id=assignment.pk, reply="已协调停工", version=assignment.version)
    with time_machine.travel(MONDAY + timedelta(days=1), tick=False):
        complaint_rate(complaint_id=resolved.pk, solved=True, satisfaction=Satisfaction.SATISFIED)


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def get(client, report: str, **params):
    return client.get(f"/api/v1/reports/{report}/", params)


def ok(response) -> dict:
    assert response.status_code == 200, response.content
    return response.json()


def page_of(client, name: str, **params):
    """The report page for the same user and parameters, for its numbers."""
    return client.get(reverse(f"dispatch:{name}"), params, HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def browser(client):
    def _as(user):
        client.force_login(user)
        return client

    return _as


# Same numbers as the pages and the report functions


def test_overdue_lists_what_the_page_lists_with_its_per_unit_counts(api_as, browser, people, units, city):
    user = people["dongcheng_supervisor"]
    report = ok(get(api_as(user), "overdue"))
    page = page_of(browser(user), "overdue").context

    assert report["count"] == page["page"].paginator.count == 3
    assert [row["tracking_number"] for row in report["results"]] == [a.complaint.tracking_number for a in page["page"]]
    assert [(row["unit_id"], row["unit"], row["count"]) for row in report["summary"]] == [
        (row["unit_id"], row["unit__name"], row["count"]) for row in page["summary"]
    ]
    assert {row["unit"] for row in report["summary"]} == {"东华门街道办事处", "景山街道办事处", "东城区市场监督管理局"}
    assert [datetime.fromisoformat(row["oldest_due"]) for row in report["summary"]] == [
        row["oldest_due"] for row in page["summary"]
    ]
    first = report["results"][0]
    assert (first["status"], first["hours_overdue"]) == ("assigned", 15 * 24.0)  # October's, never called back
    assert first["place"] and first["holder"] and first["category"]
    assert report["scope"] == {"city_wide": False, "unit": None} and report["sort"] == "overdue"
    assert "张三" not in str(report) and "13800138000" not in str(report)


def test_overdue_matches_the_report_functions_for_each_sort(api_as, people, city):
    user = people["dispatcher"]
    scope = report_scope_for(user=user)
    for sort in ("overdue", "unit", "category"):
        report = ok(get(api_as(user), "overdue", sort=sort))
        expected = overdue_now(scope=scope, now=NOW, sort=sort)
        assert [row["tracking_number"] for row in report["results"]] == [a.complaint.tracking_number for a in expected]
        assert [(row["unit_id"], row["count"]) for row in report["summary"]] == [
            (row["unit_id"], row["count"]) for row in overdue_summary(scope=scope, now=NOW)
        ]
    assert report["count"] == 4 and report["scope"]["city_wide"] is True


def test_overdue_pages_its_rows_but_counts_them_all(api_as, people, city):
    client = api_as(people["dispatcher"])
    first = ok(get(client, "overdue", page_size=3))
    second = ok(client.get(first["next"]))
    assert (first["count"], len(first["results"]), len(second["results"]), second["next"]) == (4, 3, 1, None)
    assert len(first["summary"]) == len(second["summary"]) == 4


def test_rankings_are_the_page_s_numbers_with_the_weights_and_formulas(api_as, browser, people, city, settings):
    user = people["dongcheng_supervisor"]
    report = ok(get(api_as(user), "rankings", month="2026-11", kind="street_office"))
    page = page_of(browser(user), "report_rankings", month="2026-11", kind="street_office").context
    rows = unit_rankings(scope=report_scope_for(user=user), kind="street_office", month=NOVEMBER, now=NOW)

    assert [row["unit"]["code"] for row in report["results"]] == [r.unit.code for r in page["page"]]
    assert [row["unit"]["code"] for row in report["results"]] == [r.unit.code for r in rows]
    for got, expected in zip(report["results"], rows, strict=True):
        assert got["rank"] == expected.rank
        assert got["composite"] == expected.composite_pct
        assert (got["response_rate"], got["resolution_rate"], got["satisfaction_rate"]) == (
            expected.response_pct,
            expected.resolution_pct,
            expected.satisfaction_pct,
        )
        assert (got["due"], got["met"], got["received"], got["resolved"], got["overdue_now"], got["rated"]) == (
            expected.due,
            expected.met,
            expected.received,
            expected.resolved,
            expected.overdue_now,
            expected.rated,
        )
    top = report["results"][0]
    assert (top["unit"]["code"], top["rank"], top["response_rate"], top["satisfaction_rate"]) == (
        "s-110101001",
        1,
        100.0,
        100.0,
    )
    assert (report["month"], report["kind"], report["kind_label"], report["count"]) == (
        "2026-11",
        "street_office",
        "Street office / township",
        2,
    )
    weights = settings.WHISTLE_RANKING_WEIGHTS
    assert report["weights"]["response"] == weights["response"]
    assert set(report["formulas"]) == {"response", "resolution", "satisfaction", "composite"}
    assert f"{weights['response']} × response" in report["formulas"]["composite"]


def test_rankings_default_to_this_month_s_street_offices(api_as, people, city):
    report = ok(get(api_as(people["dispatcher"]), "rankings"))
    assert (report["month"], report["kind"], report["count"]) == ("2026-11", "street_office", 3)


def test_trends_are_the_page_s_rows(api_as, browser, people, city):
    user = people["city_supervisor"]
    params = {"from": "2026-10-19", "to": "2026-11-05", "by": "week"}
    report = ok(get(api_as(user), "trends", **params))
    page = page_of(browser(user), "report_trends", **params).context
    expected = trend_rows(
        scope=report_scope_for(user=user),
        first=datetime(2026, 10, 19).date(),
        last=datetime(2026, 11, 5).date(),
        by="week",
        now=NOW,
    )
    assert report["rows"] == [
        {
            "start": row.start.isoformat(),
            "label": row.label,
            "orders_in": row.orders_in,
            "closed": row.closed,
            "missed": row.missed,
        }
        for row in expected
    ]
    assert [row["orders_in"] for row in report["rows"]] == [row.orders_in for row in page["rows"]] == [1, 0, 4]
    assert (report["from"], report["to"], report["by"]) == ("2026-10-19", "2026-11-05", "week")


def test_trends_default_to_the_last_thirty_days_by_day(api_as, people, city):
    report = ok(get(api_as(people["dispatcher"]), "trends"))
    assert (report["from"], report["to"], report["by"], len(report["rows"])) == ("2026-10-07", "2026-11-05", "day", 30)


def test_hot_spots_are_the_page_s_rises(api_as, browser, people, city):
    user = people["dispatcher"]
    report = ok(get(api_as(user), "hotspots", month="2026-11"))
    page = page_of(browser(user), "report_hotspots", month="2026-11").context
    scope = report_scope_for(user=user)
    assert [(r["name"], r["previous"], r["current"], r["change"]) for r in report["categories"]] == [
        (r.name, r.previous, r.current, r.change) for r in category_rises(scope=scope, month=NOVEMBER)
    ]
    assert [r["name"] for r in report["streets"]] == [r.name for r in page["streets"]]
    assert [r["name"] for r in report["streets"]] == [r.name for r in street_rises(scope=scope, month=NOVEMBER)]
    noise = next(r for r in report["categories"] if r["name"] == "噪声扰民")
    assert (noise["previous"], noise["current"], noise["percent"]) == (1, 3, 200.0)
    market = next(r for r in report["categories"] if r["name"] == "市场监管")
    assert market["percent"] is None  # nothing the month before: new
    assert (report["month"], report["previous_month"]) == ("2026-11", "2026-10")


# Bad parameters


@pytest.mark.parametrize(
    ("report", "params", "field"),
    [
        ("overdue", {"sort": "name"}, "sort"),
        ("rankings", {"month": "2026-13"}, "month"),
        ("rankings", {"month": "November"}, "month"),
        ("rankings", {"kind": "city"}, "kind"),
        ("rankings", {"kind": "\x00"}, "kind"),
        ("trends", {"from": "2026-11-31"}, "from"),
        ("trends", {"to": "yesterday"}, "to"),
        ("trends", {"by": "month"}, "by"),
        ("trends", {"from": "2026-11-05", "to": "2026-11-01"}, "non_field_errors"),
        ("trends", {"from": "2024-01-01", "to": "2026-11-01"}, "non_field_errors"),
        ("hotspots", {"month": "1999-12"}, "month"),
    ],
)
def test_a_bad_parameter_is_a_400_that_names_it(api_as, people, report, params, field):
    response = get(api_as(people["dispatcher"]), report, **params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and list(body["fields"]) == [field], body


def test_an_out_of_range_page_is_a_404(api_as, people, city):
    assert get(api_as(people["dispatcher"]), "overdue", page=99).status_code == 404
    assert get(api_as(people["dispatcher"]), "rankings", page=99).status_code == 404


# Reach


@pytest.mark.parametrize("report", REPORTS)
@pytest.mark.parametrize("who", ["dongcheng_supervisor", "city_supervisor", "dispatcher"])
def test_supervisors_and_the_12345_centre_read_every_report(api_as, people, report, who):
    ok(get(api_as(people[who]), report))


@pytest.mark.parametrize("report", REPORTS)
@pytest.mark.parametrize("who", ["donghuamen_handler", "market_handler", "nobody"])
def test_someone_who_supervises_nothing_gets_404(api_as, people, report, who):
    response = get(api_as(people[who]), report)
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


@pytest.mark.parametrize("report", REPORTS)
def test_signing_in_is_required(api_as, report, db):
    assert get(api_as(), report).status_code == 401


@pytest.mark.parametrize("report", REPORTS)
@pytest.mark.parametrize("unit", ["chaoyang", "jianwai", "water", "city"])
def test_a_street_supervisor_cannot_read_another_district(api_as, people, units, report, unit):
    response = get(api_as(people["dongcheng_supervisor"]), report, unit=units[unit].pk)
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert "not in the part of the city you supervise" in response.json()["detail"]
    assert "results" not in response.json() and "rows" not in response.json()


@pytest.mark.parametrize("value", ["999999", "abc", "-1", "1.5"])
def test_an_unknown_or_malformed_unit_gets_the_same_refusal(api_as, people, value):
    response = get(api_as(people["dongcheng_supervisor"]), "overdue", unit=value)
    assert response.status_code == 403


def test_a_district_supervisor_sees_only_their_district(api_as, people, city):
    numbers = {row["tracking_number"] for row in ok(get(api_as(people["chaoyang_supervisor"]), "overdue"))["results"]}
    assert len(numbers) == 1
    rankings = ok(get(api_as(people["chaoyang_supervisor"]), "rankings"))["results"]
    assert [row["unit"]["code"] for row in rankings] == ["s-110105001"]


def test_narrowing_to_a_unit_inside_the_subtree_shows_only_it(api_as, people, units, city):
    report = ok(get(api_as(people["dongcheng_supervisor"]), "overdue", unit=units["jingshan"].pk))
    assert report["count"] == 1 and report["results"][0]["unit"] == "景山街道办事处"
    assert report["scope"] == {
        "city_wide": False,
        "unit": {"id": units["jingshan"].pk, "code": "s-110101002", "name": "景山街道办事处"},
    }
