"""Demand type and channel over the staff API: the unit queue, triage, the order
and the overdue report output both codes and filter by them; a bad value is a 400
naming the parameter, never silently ignored; someone outside still gets 404."""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
import time_machine

from complaints.models import Channel, DemandType

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in Beijing
LATER = T0 + timedelta(hours=30)
TRIAGE = "/api/v1/triage/"


@pytest.fixture
def mixed(submit):
    with time_machine.travel(T0, tick=False):
        return {
            "plain": submit(),
            "help": submit(demand_type=DemandType.HELP, channel=Channel.WECHAT, resident_phone="13900000001"),
            "praise": submit(demand_type=DemandType.PRAISE, channel=Channel.HOTLINE, resident_phone="13900000002"),
        }


def _url(path: str, **params) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def _ok(response) -> dict:
    assert response.status_code == 200, response.content
    return response.json()


def _invalid(response, field: str) -> None:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["fields"]) == [field]
    assert all(isinstance(message, str) and message for message in body["fields"][field])


def _queue(unit) -> str:
    return f"/api/v1/units/{unit.pk}/queue/"


def test_queue_rows_carry_the_codes(api_as, people, units, mixed):
    rows = _ok(api_as(people["donghuamen_handler"]).get(_queue(units["donghuamen"])))["results"]

    codes = {row["tracking_number"]: (row["demand_type"], row["channel"]) for row in rows}
    assert codes == {
        mixed["plain"].tracking_number: ("complaint", "web"),
        mixed["help"].tracking_number: ("help", "wechat"),
        mixed["praise"].tracking_number: ("praise", "hotline"),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [({"demand_type": "help"}, {"help"}), ({"channel": "hotline"}, {"praise"}), ({"channel": "api"}, set())],
)
def test_the_queue_filters_by_type_and_channel(api_as, people, units, mixed, params, expected):
    client = api_as(people["donghuamen_handler"])
    rows = _ok(client.get(_url(_queue(units["donghuamen"]), **params)))["results"]

    assert {row["tracking_number"] for row in rows} == {mixed[key].tracking_number for key in expected}


@pytest.mark.parametrize(("name", "value"), [("demand_type", "nonsense"), ("channel", "fax"), ("demand_type", "HELP")])
def test_a_bad_queue_filter_is_a_400(api_as, people, units, mixed, name, value):
    client = api_as(people["donghuamen_handler"])
    _invalid(client.get(_url(_queue(units["donghuamen"]), **{name: value})), name)


def test_the_order_carries_its_type(api_as, people, mixed):
    order = _ok(api_as(people["donghuamen_handler"]).get(f"/api/v1/orders/{mixed['help'].tracking_number}/"))

    assert (order["demand_type"], order["channel"]) == ("help", "wechat")


@pytest.fixture
def in_triage(submit):
    return {
        "consultation": submit(
            category="other_misc",
            demand_type=DemandType.CONSULTATION,
            channel=Channel.HOTLINE,
            resident_phone="13900000003",
        ),
        "plain": submit(category="other_misc"),
    }


def test_triage_rows_carry_the_codes_and_filter_by_them(api_as, people, in_triage):
    centre = api_as(people["dispatcher"])

    rows = _ok(centre.get(TRIAGE))["results"]
    assert {row["tracking_number"]: (row["demand_type"], row["channel"]) for row in rows} == {
        in_triage["consultation"].tracking_number: ("consultation", "hotline"),
        in_triage["plain"].tracking_number: ("complaint", "web"),
    }
    only = _ok(centre.get(_url(TRIAGE, demand_type="consultation")))["results"]
    assert [row["tracking_number"] for row in only] == [in_triage["consultation"].tracking_number]
    by_web = _ok(centre.get(_url(TRIAGE, channel="web")))["results"]
    assert [row["tracking_number"] for row in by_web] == [in_triage["plain"].tracking_number]


@pytest.mark.parametrize(("name", "value"), [("demand_type", "x"), ("channel", "telegram")])
def test_a_bad_triage_filter_is_a_400(api_as, people, in_triage, name, value):
    _invalid(api_as(people["dispatcher"]).get(_url(TRIAGE, **{name: value})), name)


def test_a_handler_filtering_triage_still_gets_404(api_as, people, in_triage):
    response = api_as(people["donghuamen_handler"]).get(_url(TRIAGE, demand_type="nonsense"))

    assert response.status_code == 404


def _overdue(client, **params):
    with time_machine.travel(LATER, tick=False):
        return client.get(_url("/api/v1/reports/overdue/", **params))


def test_overdue_rows_carry_the_codes_and_filter_by_them(api_as, people, mixed):
    supervisor = api_as(people["dongcheng_supervisor"])

    report = _ok(_overdue(supervisor))
    assert {row["tracking_number"]: (row["demand_type"], row["channel"]) for row in report["results"]} == {
        mixed["plain"].tracking_number: ("complaint", "web"),
        mixed["help"].tracking_number: ("help", "wechat"),
        mixed["praise"].tracking_number: ("praise", "hotline"),
    }
    praise = _ok(_overdue(supervisor, demand_type="praise"))
    assert [row["tracking_number"] for row in praise["results"]] == [mixed["praise"].tracking_number]
    assert praise["count"] == 1 and [unit["count"] for unit in praise["summary"]] == [1]
    assert _ok(_overdue(supervisor, channel="wechat"))["count"] == 1


@pytest.mark.parametrize(("name", "value"), [("demand_type", "nonsense"), ("channel", "fax")])
def test_a_bad_overdue_filter_is_a_400(api_as, people, mixed, name, value):
    _invalid(_overdue(api_as(people["dongcheng_supervisor"]), **{name: value}), name)
