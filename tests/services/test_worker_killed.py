"""A worker SIGKILLed in the middle of a batch of routings: the routing trigger it had
taken and not acknowledged (acks_late) goes back to Redis and a second worker routes
what still waits.
Every complaint ends with exactly one live lead assignment, and routing messages
sent again afterwards change nothing."""

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from complaints.models import ComplaintEvent
from complaints.services.submit import complaint_submit
from dispatch.models import Assignment, AssignmentRole, AssignmentStatus
from dispatch.services.routing_backlog import TRIGGER_TTL
from dispatch.tasks import route_complaint
from tests.services.conftest import BASE_DIR, WORKER_READY_WITHIN, database_url_of_test_db

pytestmark = pytest.mark.services

COMPLAINTS = 200
KILL_AFTER_ROUTED = 25  # the first worker dies once this many are routed
ALL_ROUTED_WITHIN = 60  # seconds, after the second worker is ready
RESENT_DONE_WITHIN = 30  # seconds
VISIBILITY_TIMEOUT = 2  # seconds: unacknowledged messages return to the queue this soon
QUEUE = "celery"
ROUTING_SKIPPED = re.compile(r"route_complaint\[[^\]]+\] succeeded in [\d.]+s: 'skipped'")


class Worker:
    """A prefork `celery worker` in a process group of its own, so SIGKILL takes the
    pool's children with it, as when a machine or container dies."""

    def __init__(self, *, name: str, env: dict, log: Path):
        self.name, self.log = name, log
        argv = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool=prefork",
            "--concurrency=4",
            "-l",
            "info",
            "-n",
            f"{name}@%h",
        ]
        with log.open("w") as out:
            self.process = subprocess.Popen(
                argv, cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def routings_skipped(self) -> int:
        """Routing messages this worker ran that found the complaint routed already."""
        return len(ROUTING_SKIPPED.findall(self.text()))

    def wait_ready(self) -> None:
        deadline = time.monotonic() + WORKER_READY_WITHIN
        while "ready." not in self.text():
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the Celery worker {self.name} did not start:\n{self.text()}")
            time.sleep(0.05)

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)


@pytest.fixture
def workers(transactional_db, broker_not_eager, tmp_path, request):
    """Start workers on the test database and the tests' Redis; all stopped at the end,
    their logs printed if the test fails."""
    from django.db import connection

    env = {k: v for k, v in os.environ.items() if not k.startswith("CELERY_")}
    env.update(
        DATABASE_URL=database_url_of_test_db(connection),
        CELERY_BROKER_URL=broker_not_eager,
        CELERY_TASK_ALWAYS_EAGER="0",
        CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
        # Small batches, so the kill lands with some of them routed and some not.
        WHISTLE_ROUTE_BATCH="10",
        DJANGO_DEBUG="1",
        PYTHONUNBUFFERED="1",
    )
    started: list[Worker] = []

    request.node.service_logs = {}  # shown by tests/services/conftest.py if the test fails

    def start(name: str) -> Worker:
        worker = Worker(name=name, env=env, log=tmp_path / f"{name}.log")
        started.append(worker)
        request.node.service_logs[f"worker {name}"] = worker.log
        worker.wait_ready()
        return worker

    yield start
    for worker in started:
        worker.stop()


def _wait(predicate, within: float, every: float = 0.2) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return predicate()


def _live_leads() -> Counter:
    return Counter(
        Assignment.objects.filter(
            role=AssignmentRole.LEAD,
            status__in=[AssignmentStatus.ASSIGNED, AssignmentStatus.ACCEPTED, AssignmentStatus.IN_PROGRESS],
        ).values_list("complaint_id", flat=True)
    )


def _broker_idle(client) -> bool:
    """Nothing waiting in the queue and nothing taken and unacknowledged."""
    return client.llen(QUEUE) == 0 and client.hlen("unacked") == 0


def test_worker_killed_mid_batch_leaves_each_complaint_one_lead_and_a_resent_routing_does_nothing(
    workers, broker_not_eager, beijing, categories, units, rules, tally
):
    import redis

    broker = redis.Redis.from_url(broker_not_eager)
    filing_started = time.monotonic()
    ids = [
        complaint_submit(
            category=categories["noise_construction"],
            region=beijing["duofuxiang"],
            address=f"东华门大街 {n} 号",
            description="凌晨两点还在施工，噪声很大",
            resident_name="张三",
            resident_phone=f"139{n:08d}",
        ).pk
        for n in range(COMPLAINTS)
    ]
    filing_took = time.monotonic() - filing_started
    # The filings share a trigger: one, and another each time its flag expired unread.
    triggers = broker.llen(QUEUE)
    assert 1 <= triggers <= 1 + int(filing_took // TRIGGER_TTL), (triggers, filing_took)

    first = workers("first")
    assert _wait(lambda: Assignment.objects.count() >= KILL_AFTER_ROUTED, 30, every=0.01), first.text()
    first.kill()
    routed_at_kill = Assignment.objects.count()
    tally.fault = f"a worker SIGKILLed with {routed_at_kill} of {COMPLAINTS} routed, then every routing re-sent"
    taken_unacked = broker.hlen("unacked")
    print(
        f"\nfirst worker SIGKILLed with {routed_at_kill}/{COMPLAINTS} routed, {taken_unacked} taken and unacknowledged"
    )
    assert routed_at_kill < COMPLAINTS, "the first worker finished before it could be killed: nothing was proved"

    second = workers("second")
    back = time.monotonic()
    all_routed = _wait(lambda: Assignment.objects.count() >= COMPLAINTS and _broker_idle(broker), ALL_ROUTED_WITHIN)
    print(f"all {COMPLAINTS} routed {time.monotonic() - back:.1f} s after the second worker was ready")
    assert all_routed, (Assignment.objects.count(), broker.llen(QUEUE), broker.hlen("unacked"))

    leads = _live_leads()
    tally["filed"] = len(ids)
    tally["lost"] = len(set(ids) - set(leads))
    tally["duplicated"] = sum(count - 1 for count in leads.values())
    assert set(leads) == set(ids)
    assert set(leads.values()) == {1}
    assert Assignment.objects.count() == COMPLAINTS  # no superseded or co-handling extras either
    assignments_before = sorted(Assignment.objects.values_list("pk", "complaint_id", "unit_id", "status", "version"))
    events_before = ComplaintEvent.objects.count()

    skipped_before = second.routings_skipped()
    print(f"{skipped_before} redelivered routing(s) found their complaint routed already and did nothing")
    for pk in ids:
        route_complaint.delay(pk)
    resent_done = _wait(
        lambda: second.routings_skipped() >= skipped_before + COMPLAINTS and _broker_idle(broker),
        RESENT_DONE_WITHIN,
    )
    assert resent_done, (second.routings_skipped() - skipped_before, broker.llen(QUEUE))

    assert sorted(Assignment.objects.values_list("pk", "complaint_id", "unit_id", "status", "version")) == (
        assignments_before
    )
    assert ComplaintEvent.objects.count() == events_before
    assert "Traceback" not in first.text() + second.text()
    print(f"re-sent {COMPLAINTS} routings: all skipped, assignments and events unchanged")
