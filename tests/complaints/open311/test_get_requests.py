"""GET Service Requests and GET Service Request: the spec's fields, our status
mapping, filters, pagination, who sees what, and a fixed number of queries."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from complaints.models import Complaint, ComplaintStatus
from complaints.services import complaint_rate
from dispatch.models import AssignmentStatus
from dispatch.services.assignments import (
    assignment_accept,
    assignment_hand_down,
    assignment_record_contact,
    assignment_resolve,
)
from dispatch.services.merge import order_merge
from dispatch.services.triage import triage_reject
from tests.complaints.open311 import spec_examples as spec
from tests.complaints.open311.conftest import w3c
from tests.complaints.open311.shapes import assert_same_json, assert_same_xml

NOW = "2026-12-01T10:30:00+08:00"


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def filed(open311, client_key, filing, django_capture_on_commit_callbacks):
    """A request filed over Open311 by the client, routed to 东华门街道办事处."""

    def _file(**changes):
        body = {"api_key": client_key[1], **filing, **changes}
        if not body["service_code"].startswith("noise."):
            del body["attribute[noise_time]"]  # only noise asks it
        with django_capture_on_commit_callbacks(execute=True):
            answer = open311.post("requests.json", body)
        assert answer.status == 200, answer.body
        return Complaint.objects.get(tracking_number=answer.json()[0]["service_request_id"])

    return _file


def work(complaint, people, *, to: str):
    """Move an order through the handler's services up to `to`."""
    handler = people["donghuamen_handler"]
    assignment = complaint.assignments.get(status=AssignmentStatus.ASSIGNED)
    assignment_accept(user=handler, assignment_id=assignment.pk)
    if to == "accepted":
        return
    assignment_record_contact(user=handler, assignment_id=assignment.pk, note="已电话联系")
    assignment_resolve(user=handler, assignment_id=assignment.pk, reply="已责令施工方夜间停工")
    if to == "closed":
        complaint_rate(complaint_id=complaint.pk, solved=True, satisfaction="satisfied")
    elif to == "reopened":
        complaint_rate(complaint_id=complaint.pk, solved=False, satisfaction="unsatisfied")


def one(open311, number: str, fmt: str = "json", **params):
    answer = open311.get(f"requests/{number}.{fmt}", **params)
    assert answer.status == 200, answer.body
    if fmt == "xml":
        (request,) = answer.xml().findall("request")
        return {child.tag: child.text for child in request}
    (request,) = answer.json()
    return request


def test_a_request_in_xml_has_the_spec_examples_elements(open311, filed, client_key, units):
    complaint = filed()

    answer = open311.get(f"requests/{complaint.tracking_number}.xml", api_key=client_key[1])

    assert answer.status == 200
    assert_same_xml(answer.body, spec.REQUESTS_XML)
    request = {child.tag: child.text for child in answer.xml().find("request")}
    assignment = complaint.assignments.get()
    assert request["service_request_id"] == complaint.tracking_number
    assert request["status"] == "open"
    assert request["status_notes"] is None
    assert (request["service_code"], request["service_name"]) == ("noise.construction", "施工噪声")
    assert request["description"] == "凌晨两点还在施工，噪声很大"
    assert request["agency_responsible"] == "东华门街道办事处"
    assert w3c(request["requested_datetime"]) == complaint.submitted_at
    assert request["requested_datetime"] == NOW
    assert w3c(request["expected_datetime"]) == assignment.resolve_due
    assert request["address"] == "东华门大街 1 号"
    assert request["address_id"] == "110101001001"
    assert request["zipcode"] is None and request["media_url"] is None


def test_requests_in_json_have_the_spec_examples_keys(open311, filed):
    filed()

    answer = open311.get("requests.json")

    assert answer.status == 200
    assert_same_json(answer.json(), spec.REQUESTS_JSON)


def test_every_date_is_w3c_to_the_second_with_beijings_offset(open311, filed):
    filed()

    (request,) = open311.get("requests.json").json()

    for name in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert request[name].endswith("+08:00")
        w3c(request[name])


@pytest.mark.parametrize(
    ("to", "status", "notes"),
    [
        ("accepted", "open", None),
        ("resolved", "closed", "已责令施工方夜间停工"),
        ("closed", "closed", "已责令施工方夜间停工"),
        ("reopened", "open", None),
    ],
)
def test_the_status_follows_the_order(open311, filed, people, to, status, notes):
    complaint = filed()

    work(complaint, people, to=to)

    for fmt in ("xml", "json"):
        request = one(open311, complaint.tracking_number, fmt)
        assert (request["status"], request["status_notes"]) == (status, notes)


def test_the_service_notice_says_the_detailed_state(open311, filed, people):
    complaint = filed()
    work(complaint, people, to="accepted")

    assert one(open311, complaint.tracking_number, locale="en")["service_notice"] == "Signed for"


def test_a_rejected_order_is_closed_with_the_reason(open311, filed, people, rules):
    complaint = filed(service_code="other.misc")  # no rule: it waits in triage

    assert one(open311, complaint.tracking_number)["agency_responsible"] is None
    triage_reject(user=people["dispatcher"], complaint_id=complaint.pk, reason="不属于政务服务范围", version=None)

    request = one(open311, complaint.tracking_number)
    assert request["status"] == "closed"
    assert "不属于政务服务范围" in request["status_notes"]


def test_a_merged_request_reads_as_the_order_it_follows(open311, filed, people):
    lead, follower = filed(), filed()
    order_merge(user=people["dispatcher"], follower_id=follower.pk, lead_number=lead.tracking_number)

    request = one(open311, follower.tracking_number)
    assert request["status"] == "open"
    assert lead.tracking_number in request["service_notice"]
    assert request["agency_responsible"] == "东华门街道办事处"

    work(lead, people, to="resolved")
    request = one(open311, follower.tracking_number)
    assert (request["status"], request["status_notes"]) == ("closed", "已责令施工方夜间停工")
    assert open311.get("requests.json", status="closed").json()[0]["service_request_id"] in {
        lead.tracking_number,
        follower.tracking_number,
    }


def test_the_agency_is_the_unit_holding_the_order(open311, filed, people, units):
    complaint = filed()
    assignment = complaint.assignments.get()

    assignment_hand_down(
        user=people["donghuamen_handler"], assignment_id=assignment.pk, community_id=units["duofuxiang"].pk
    )

    assert one(open311, complaint.tracking_number)["agency_responsible"] == "多福巷社区居委会"


def test_only_the_filing_client_sees_the_residents_words_and_exact_point(
    open311, filed, client_key, other_client_key, district_outlines
):
    complaint = filed(lat="39.917512", long="116.403749")

    own = one(open311, complaint.tracking_number, api_key=client_key[1])
    anyone = one(open311, complaint.tracking_number)
    other = one(open311, complaint.tracking_number, api_key=other_client_key[1])

    assert (own["description"], own["address"]) == ("凌晨两点还在施工，噪声很大", "东华门大街 1 号")
    assert (own["lat"], own["long"]) == (39.917512, 116.403749)
    for answer in (anyone, other):
        assert (answer["description"], answer["address"]) == (None, None)
        assert (answer["lat"], answer["long"]) == (39.918, 116.404)
        assert answer["address_id"] == "110101001001"


def test_a_request_filed_on_the_web_shows_no_words_to_anyone(open311, submit, client_key):
    complaint = submit()

    request = one(open311, complaint.tracking_number, api_key=client_key[1])

    assert (request["description"], request["address"]) == (None, None)
    assert request["status"] == "open"


def test_characters_xml_cannot_carry_are_dropped_not_written(open311, filed, client_key):
    complaint = filed(description="噪声\x0b很大\x1f，\ufffe请处理")

    answer = open311.get(f"requests/{complaint.tracking_number}.xml", api_key=client_key[1])

    assert answer.xml().findtext("request/description") == "噪声很大，请处理"


# --- filters --------------------------------------------------------------------------


def numbers(answer) -> list[str]:
    assert answer.status == 200, answer.body
    return [row["service_request_id"] for row in answer.json()]


def test_the_default_is_the_last_90_days_newest_first(open311, filed):
    with time_machine.travel(timezone.now() - timedelta(days=91), tick=False):
        old = filed()
    with time_machine.travel(timezone.now() - timedelta(days=2), tick=False):
        older = filed()
    newest = filed()

    assert numbers(open311.get("requests.json")) == [newest.tracking_number, older.tracking_number]
    assert old.tracking_number not in numbers(open311.get("requests.json"))


def test_service_request_ids_override_every_other_filter(open311, filed):
    with time_machine.travel(timezone.now() - timedelta(days=200), tick=False):
        old = filed()
    new = filed()
    wanted = f"{old.tracking_number}, {new.tracking_number},2026000000000000"

    found = numbers(
        open311.get("requests.json", service_request_id=wanted, service_code="market.food", status="closed")
    )

    assert sorted(found) == sorted([old.tracking_number, new.tracking_number])


def test_service_code_and_status_filter_comma_separated_or_repeated(open311, filed, people):
    noise = filed()
    water = filed(service_code="utilities.water", **{"attribute[outage_since]": "2026-12-01T06:00+08:00"})
    market = filed(service_code="market.food")
    work(noise, people, to="resolved")

    assert sorted(numbers(open311.get("requests.json", service_code="noise.construction,utilities.water"))) == sorted(
        [noise.tracking_number, water.tracking_number]
    )
    repeated = open311.http.get("/open311/v2/requests.json?service_code=market.food&service_code=utilities.water")
    assert len(repeated.json()) == 2
    assert numbers(open311.get("requests.json", status="closed")) == [noise.tracking_number]
    assert set(numbers(open311.get("requests.json", status="open"))) == {water.tracking_number, market.tracking_number}
    assert len(numbers(open311.get("requests.json", status="open,closed"))) == 3


@pytest.mark.parametrize(
    ("start", "end", "found"),
    [
        ("2026-11-30T00:00:00+08:00", "2026-11-30T23:59:59+08:00", ["yesterday"]),
        ("2026-11-29T16:00:00Z", "2026-11-30T15:59:59Z", ["yesterday"]),
        ("2026-11-30", "2026-11-30", ["yesterday"]),
        ("2026-11-30T00:00:00 08:00", None, ["today", "yesterday"]),  # an unescaped + arrives as a space
        ("2026-11", None, ["today", "yesterday"]),
        (None, "2026-11-30T12:00+08:00", ["yesterday"]),
        ("2026-12-01T10:30:00.000+08:00", None, ["today"]),
    ],
)
def test_start_and_end_dates_are_w3c_in_any_of_its_forms(open311, filed, start, end, found):
    with time_machine.travel(timezone.now() - timedelta(days=1), tick=False):
        yesterday = filed()
    today = filed()
    params = {name: value for name, value in (("start_date", start), ("end_date", end)) if value}

    wanted = {"today": today.tracking_number, "yesterday": yesterday.tracking_number}
    assert numbers(open311.get("requests.json", **params)) == [wanted[name] for name in found]


@pytest.mark.parametrize(
    "value",
    [
        "2026-12-01T10:00:00",
        "2026-12-01 10:00",
        "2026-12-01T10:00+0800",
        "2026-12-01T10:00:00+25:00",
        "2026-13-01",
        "2026-02-30",
        "2026-12-01T24:00:00Z",
        "20261201",
        "yesterday",
        "1701388800",
        "２０２６-12-01",
    ],
)
@pytest.mark.parametrize("name", ["start_date", "end_date"])
def test_a_date_not_in_w3c_format_is_a_400(open311, db, name, value):
    answer = open311.get("requests.xml", **{name: value})

    assert answer.status == 400
    ((code, description),) = answer.errors("xml")
    assert code == 400 and name in description


@pytest.mark.parametrize(
    ("start", "end", "fragment"),
    [
        ("2026-01-01T00:00:00Z", "2026-06-01T00:00:00Z", "90 days"),
        ("2026-09-01T00:00:00Z", "2026-12-01T00:00:01Z", "90 days"),
        ("2026-12-01T00:00:00Z", "2026-11-01T00:00:00Z", "before"),
    ],
)
def test_a_range_over_90_days_or_backwards_is_a_400(open311, db, start, end, fragment):
    answer = open311.get("requests.json", start_date=start, end_date=end)

    assert answer.status == 400
    assert fragment in answer.errors("json")[0][1]


def test_exactly_90_days_is_allowed(open311, db):
    assert (
        open311.get("requests.json", start_date="2026-09-02T00:00:00Z", end_date="2026-12-01T00:00:00Z").status == 200
    )


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page_size": "1000000000"}, "page_size"),
        ({"page_size": "1001"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "-5"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"page": "0"}, "page"),
        ({"page": "99999999999999999999"}, "page"),
        ({"status": "pending"}, "status"),
        ({"service_request_id": ",".join(str(n) for n in range(1001))}, "service_request_id"),
    ],
)
def test_a_bad_page_or_status_is_a_400(open311, db, params, field):
    answer = open311.get("requests.xml", **params)

    assert answer.status == 400
    assert field in answer.errors("xml")[0][1]


def test_an_unknown_service_code_filter_is_a_404(open311, categories):
    answer = open311.get("requests.json", service_code="noise.construction,no.such")

    assert answer.status == 404
    assert "no.such" in answer.errors("json")[0][1]


def test_pages_go_newest_first_and_link_the_next(open311, filed):
    made = []
    for hours in range(5, 0, -1):
        with time_machine.travel(timezone.now() - timedelta(hours=hours), tick=False):
            made.append(filed().tracking_number)
    made.reverse()

    first = open311.get("requests.json", page_size="2")
    last = open311.get("requests.json", page_size="2", page="3")
    beyond = open311.get("requests.json", page_size="2", page="9")

    assert numbers(first) == made[:2]
    assert "page=2" in first.headers["Link"] and 'rel="next"' in first.headers["Link"]
    assert numbers(last) == made[4:]
    assert "Link" not in last.headers
    assert numbers(beyond) == []
    empty = open311.get("requests.xml", page="9").xml()
    assert (empty.tag, list(empty)) == ("service_requests", [])


def test_at_most_1000_rows_by_default(open311, filed, monkeypatch):
    from complaints.open311 import filters

    monkeypatch.setattr(filters, "MAX_ROWS", 3)
    for _ in range(4):
        filed()

    answer = open311.get("requests.json")

    assert len(answer.json()) == 3
    assert 'rel="next"' in answer.headers["Link"]


# --- cost -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_the_list_costs_the_same_queries_for_3_rows_as_for_30(open311, submit, people, fmt):
    """One query for the page, one for who handles each order (dispatch's provider)."""

    def queries_for(rows: int) -> int:
        while Complaint.objects.count() < rows:
            submit()
        with CaptureQueriesContext(connection) as queries:
            answer = open311.get(f"requests.{fmt}")
        assert answer.status == 200
        assert len(answer.json() if fmt == "json" else answer.xml()) == rows
        return len(queries)

    assert queries_for(3) == queries_for(30) == 2


def test_one_request_costs_two_queries(open311, submit, django_assert_num_queries):
    complaint = submit()

    with django_assert_num_queries(2):
        assert open311.get(f"requests/{complaint.tracking_number}.xml").status == 200


def test_a_merged_request_costs_no_more(open311, filed, people, django_assert_num_queries):
    lead, follower = filed(), filed()
    order_merge(user=people["dispatcher"], follower_id=follower.pk, lead_number=lead.tracking_number)

    with django_assert_num_queries(2):
        assert len(open311.get("requests.json").json()) == 2


def test_coordinates_are_wgs84_numbers_in_json_and_text_in_xml(open311, filed, client_key, district_outlines):
    complaint = filed(lat="39.9175", long="116.4037")

    as_json = one(open311, complaint.tracking_number, api_key=client_key[1])
    as_xml = one(open311, complaint.tracking_number, "xml", api_key=client_key[1])

    assert (as_json["lat"], as_json["long"]) == (39.9175, 116.4037)
    assert (Decimal(as_xml["lat"]), Decimal(as_xml["long"])) == (Decimal("39.9175"), Decimal("116.4037"))
    assert ComplaintStatus.ASSIGNED == Complaint.objects.get(pk=complaint.pk).status
