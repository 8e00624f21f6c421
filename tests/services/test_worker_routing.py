"""The production shape end to end: a resident files over real HTTP, the commit
enqueues routing on Redis, and a separate Celery worker process routes the
complaint in PostgreSQL."""

import http.cookiejar
import re
import time
import urllib.parse
import urllib.request
import uuid

import pytest

from complaints.models import Complaint, ComplaintStatus

pytestmark = pytest.mark.services

ROUTED_WITHIN = 20  # seconds
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _browser() -> urllib.request.OpenerDirector:
    """A cookie-keeping client, like a browser, so CSRF protection is exercised."""
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def _file_over_http(*, base_url: str, fields: dict[str, str]) -> str:
    browser = _browser()
    with browser.open(f"{base_url}/file/", timeout=10) as response:
        form_html = response.read().decode()
    match = CSRF_INPUT.search(form_html)
    assert match, "the intake form has no CSRF token"
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": match.group(1), **fields}).encode()
    request = urllib.request.Request(  # noqa: S310 - our own live server
        f"{base_url}/file/", data=body, headers={"Referer": f"{base_url}/file/"}
    )
    with browser.open(request, timeout=10) as response:
        # The 303 to the "filed" page is followed; it shows the tracking number.
        assert "/filed/" in response.url, response.read().decode()[:2000]
        return response.url.rstrip("/").rsplit("/", 1)[-1]


def _wait_until_routed(*, tracking_number: str) -> Complaint:
    deadline = time.monotonic() + ROUTED_WITHIN
    while True:
        complaint = Complaint.objects.get(tracking_number=tracking_number)
        if complaint.status != ComplaintStatus.SUBMITTED or time.monotonic() > deadline:
            return complaint
        time.sleep(0.2)


def test_worker_routes_a_complaint_filed_over_http_to_the_street_office(
    celery_worker, live_server, beijing, categories, units, rules
):
    fields = {
        "category": str(categories["noise_construction"].pk),
        "district": beijing["dongcheng"].code,
        "street": beijing["donghuamen"].code,
        "community": beijing["duofuxiang"].code,
        "address": "东华门大街 1 号",
        "description": "凌晨两点还在施工，噪声很大",
        "resident_name": "张三",
        "resident_phone": "13800138000",
        "resident_email": "",
        "submission_token": str(uuid.uuid4()),
    }

    tracking_number = _file_over_http(base_url=live_server.url, fields=fields)
    complaint = _wait_until_routed(tracking_number=tracking_number)

    assert complaint.status == ComplaintStatus.ASSIGNED
    assignment = complaint.assignments.get()
    assert assignment.unit == units["donghuamen"]
    assert assignment.rule == rules["noise"]
    log = celery_worker.read_text()
    assert "dispatch.tasks.route_complaint" in log and "succeeded" in log
