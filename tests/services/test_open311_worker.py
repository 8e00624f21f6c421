"""Open311 end to end in the production shape: a civic client files over real
HTTP, the commit enqueues routing on Redis, a separate Celery worker routes the
request into the street office's queue in PostgreSQL, the handler works it to
closed through the services, and the client reads `closed` in XML and JSON."""

import json
import time
import urllib.parse
import urllib.request
from xml.dom import minidom

import pytest
from django.core.cache import cache

from complaints.models import Complaint, ComplaintStatus
from complaints.open311.keys import open311_client_create
from complaints.services import complaint_rate
from dispatch.selectors import queue_for
from dispatch.services.assignments import assignment_accept, assignment_record_contact, assignment_resolve

pytestmark = pytest.mark.services

ROUTED_WITHIN = 20  # seconds


def _post(url: str, fields: list[tuple[str, str]]) -> bytes:
    request = urllib.request.Request(  # noqa: S310 - our own live server
        url,
        data=urllib.parse.urlencode(fields).encode("ascii"),
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.read()


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own live server
        return response.read()


def _wait_until_routed(*, tracking_number: str) -> Complaint:
    deadline = time.monotonic() + ROUTED_WITHIN
    while True:
        complaint = Complaint.objects.get(tracking_number=tracking_number)
        if complaint.status != ComplaintStatus.SUBMITTED or time.monotonic() > deadline:
            return complaint
        time.sleep(0.2)


def test_an_open311_request_is_routed_by_the_worker_and_read_closed_over_open311(
    celery_worker, live_server, beijing, categories, units, rules, people
):
    cache.clear()
    _client, key = open311_client_create(name="城市随手拍")
    root = f"{live_server.url}/open311/v2"
    fields = [
        ("service_code", "noise.construction"),
        ("address_id", beijing["duofuxiang"].code),
        ("address_string", "东华门大街 1 号"),
        ("description", "凌晨两点还在施工，噪声很大"),
        ("first_name", "三"),
        ("last_name", "张"),
        ("phone", "13800138000"),
    ]

    posted = minidom.parseString(_post(f"{root}/requests.xml?api_key={urllib.parse.quote(key)}", fields))
    number = posted.getElementsByTagName("service_request_id")[0].firstChild.data
    complaint = _wait_until_routed(tracking_number=number)

    assert complaint.status == ComplaintStatus.ASSIGNED
    handler = people["donghuamen_handler"]
    (assignment,) = queue_for(user=handler, unit=units["donghuamen"])
    assert assignment.complaint == complaint and assignment.rule == rules["noise"]
    log = celery_worker.read_text()
    # On Redis the filing's routing is a shared trigger (dispatch.services.routing_backlog).
    assert "dispatch.tasks.route_waiting" in log and "succeeded" in log
    assert json.loads(_get(f"{root}/requests/{number}.json"))[0]["status"] == "open"

    assignment_accept(user=handler, assignment_id=assignment.pk)
    assignment_record_contact(user=handler, assignment_id=assignment.pk, note="已电话联系张先生")
    assignment_resolve(user=handler, assignment_id=assignment.pk, reply="已责令施工方夜间停工")
    complaint_rate(complaint_id=complaint.pk, solved=True, satisfaction="satisfied")

    assert Complaint.objects.get(pk=complaint.pk).status == ComplaintStatus.CLOSED
    as_xml = minidom.parseString(_get(f"{root}/requests/{number}.xml"))
    assert as_xml.getElementsByTagName("status")[0].firstChild.data == "closed"
    assert as_xml.getElementsByTagName("status_notes")[0].firstChild.data == "已责令施工方夜间停工"
    (as_json,) = json.loads(_get(f"{root}/requests/{number}.json"))
    assert (as_json["status"], as_json["agency_responsible"]) == ("closed", "东华门街道办事处")
    closed = json.loads(_get(f"{root}/requests.json?status=closed"))
    assert [row["service_request_id"] for row in closed] == [number]
