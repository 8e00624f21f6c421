"""The production shape end to end: a resident files over real HTTP, the commit
enqueues routing on Redis, and a separate Celery worker process routes the
complaint in PostgreSQL."""

import http.cookiejar
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from complaints.models import Complaint, ComplaintStatus
from complaints.services.submit import complaint_submit
from dispatch.models import Assignment, AssignmentRole, AssignmentStatus
from dispatch.services.routing_backlog import TRIGGER_TTL
from tests.services.conftest import BASE_DIR, WORKER_READY_WITHIN, worker_env

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
    # On Redis the filing's routing is a shared trigger (dispatch.services.routing_backlog).
    assert "dispatch.tasks.route_waiting" in log and "succeeded" in log


BACKLOG = 60
BACKLOG_ROUTED_WITHIN = 60  # seconds
ROUTED_BY_TRIGGER = re.compile(r"route_waiting\[[^\]]+\] succeeded in [\d.]+s: (\d+)")


@pytest.fixture
def worker_started_later(transactional_db, broker_not_eager, tmp_path, request):
    """Starts a real `celery worker` (solo pool) when the test says so, after it has
    filled the queue. Yields the start function; the log is printed on failure."""
    env = worker_env(broker_url=broker_not_eager)
    log = tmp_path / "worker.log"
    request.node.service_logs = {"worker": log}
    started = []

    def start() -> Path:
        argv = [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo", "-l", "info", "-n", "later@%h"]
        with log.open("w") as out:
            started.append(subprocess.Popen(argv, cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT))
        deadline = time.monotonic() + WORKER_READY_WITHIN
        while "ready." not in log.read_text(errors="replace"):
            if started[0].poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the Celery worker did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.2)
        return log

    yield start
    for worker in started:
        worker.terminate()
        worker.wait(timeout=15)


def test_a_backlog_is_routed_in_batches_with_one_lead_each(
    worker_started_later, broker_not_eager, beijing, categories, units, rules
):
    import redis

    filing_started = time.monotonic()
    ids = [
        complaint_submit(
            category=categories["noise_construction" if n % 2 else "market_food"],
            region=beijing["duofuxiang"],
            address=f"东华门大街 {n} 号",
            description="凌晨两点还在施工，噪声很大",
            resident_name="张三",
            resident_phone=f"139{n:08d}",
        ).pk
        for n in range(BACKLOG)
    ]
    filing_took = time.monotonic() - filing_started
    # The filings share a trigger: one, and another each time its flag expired unread.
    triggers = redis.Redis.from_url(broker_not_eager).llen("celery")
    assert 1 <= triggers <= 1 + int(filing_took // TRIGGER_TTL), (triggers, filing_took)

    log = worker_started_later()
    deadline = time.monotonic() + BACKLOG_ROUTED_WITHIN
    while Complaint.objects.filter(pk__in=ids, status=ComplaintStatus.SUBMITTED).exists():
        assert time.monotonic() < deadline, "the backlog was not routed in time"
        time.sleep(0.2)
    while len(ROUTED_BY_TRIGGER.findall(log.read_text(errors="replace"))) < triggers:
        assert time.monotonic() < deadline, "not every routing trigger was taken"
        time.sleep(0.2)

    live = Assignment.objects.filter(complaint_id__in=ids, role=AssignmentRole.LEAD, status=AssignmentStatus.ASSIGNED)
    assert sorted(live.values_list("complaint_id", flat=True)) == sorted(ids)
    routed = [int(count) for count in ROUTED_BY_TRIGGER.findall(log.read_text(errors="replace"))]
    # Each complaint routed once, by as many tasks as triggers were sent, not one task per complaint.
    assert sum(routed) == BACKLOG, routed
    assert len(routed) == triggers, routed
