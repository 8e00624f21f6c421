"""End-to-end intake over HTTP: complaints filed per second against gunicorn
with the Celery worker routing on the same box, and routed per second; the
latency at a fixed rate; submit → assigned; one worker's routing throughput
on a backlog; the processes' peak RSS."""

import json
import subprocess
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import connection

from bench.environment import BASE_DIR, PYTHON
from bench.generate.lookups import _leaf_categories
from bench.measure import percentile

DRAIN_TIMEOUT = 180


@dataclass
class Window:
    started: float
    ended: float
    filed: int
    errors: int
    statuses: dict
    latencies: list = field(default_factory=list)
    samples: list = field(default_factory=list)
    routed_in_window: int = 0
    drained_at: float | None = None
    backlog: int = 0

    @property
    def seconds(self) -> float:
        return self.ended - self.started

    @property
    def filed_per_second(self) -> float:
        return self.filed / self.seconds

    @property
    def end_to_end_per_second(self) -> float | None:
        """Filed and routed: the window's complaints over the time until the last was routed."""
        if self.drained_at is None:
            return None
        return self.filed / (max(self.drained_at, self.ended) - self.started)


def places_file(*, path) -> list:
    """Sub-categories a rule routes (no extra questions to answer) × 400 communities."""
    with connection.cursor() as cursor:
        cats = [c for c in _leaf_categories(cursor) if c.target_kind]
        # A group's questions are asked of its sub-categories too.
        cursor.execute(
            "SELECT c.id FROM complaints_category c WHERE EXISTS (SELECT 1 FROM complaints_categoryquestion q "
            "WHERE q.category_id = c.id OR q.category_id = c.parent_id)"
        )
        with_questions = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT code FROM complaints_region WHERE level = 'community' ORDER BY md5(code) LIMIT 400")
        regions = [row[0] for row in cursor.fetchall()]
    ids = [c.id for c in cats if c.id not in with_questions]
    places = [[ids[i % len(ids)], regions[i % len(regions)]] for i in range(max(len(ids), len(regions)) * 3)]
    path.write_text(json.dumps(places), encoding="utf-8")
    return places


def load_run(*, port: int, places, seconds: float, rate: float = 0, concurrency: int = 8, seed: int = 1) -> Window:
    argv = [
        PYTHON, "-m", "bench.load", "--port", str(port), "--places", str(places), "--seconds", str(seconds),
        "--rate", str(rate), "--concurrency", str(concurrency), "--seed", str(seed),
    ]  # fmt: skip
    done = subprocess.run(argv, cwd=BASE_DIR, capture_output=True, text=True, check=True, timeout=seconds + 120)  # noqa: S603
    result = json.loads(done.stdout.strip().splitlines()[-1])
    statuses = result["statuses"]
    filed = statuses.get("201", 0)
    return Window(
        started=result["started"],
        ended=result["ended"],
        filed=filed,
        errors=sum(count for status, count in statuses.items() if status != "201"),
        statuses=statuses,
        latencies=result["latencies"],
        samples=result.get("samples", []),
    )


def routing_wait(window: Window, *, timeout: float = DRAIN_TIMEOUT) -> None:
    """Wait until every complaint filed in the window has left `submitted` (or the
    timeout), and note when the last one was assigned."""
    start, end = _ts(window.started), _ts(window.ended + 1)
    deadline = time.monotonic() + timeout
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM complaints_complaint WHERE submitted_at BETWEEN %s AND %s "
                "AND status = 'submitted'",
                [start, end],
            )
            waiting = cursor.fetchone()[0]
        if waiting == 0 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    window.backlog = waiting
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FILTER (WHERE a.assigned_at <= %s), max(a.assigned_at) FROM dispatch_assignment a "
            "JOIN complaints_complaint c ON c.id = a.complaint_id "
            "WHERE c.submitted_at BETWEEN %s AND %s AND a.role = 'lead' AND a.reason = 'routed'",
            [end, start, end],
        )
        routed_in_window, last = cursor.fetchone()
    window.routed_in_window = routed_in_window or 0
    window.drained_at = last.timestamp() if (last and waiting == 0) else None


def submit_to_assigned(window: Window) -> tuple[float | None, float | None, int]:
    """p50 / p99 (seconds) from submitted_at to the routed lead assignment's assigned_at."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d), percentile_cont(0.99) WITHIN GROUP (ORDER BY d), "
            "count(*) FROM (SELECT extract(epoch FROM a.assigned_at - c.submitted_at) AS d "
            "FROM complaints_complaint c JOIN dispatch_assignment a ON a.complaint_id = c.id "
            "AND a.role = 'lead' AND a.reason = 'routed' WHERE c.submitted_at BETWEEN %s AND %s) x",
            [_ts(window.started), _ts(window.ended + 1)],
        )
        p50, p99, count = cursor.fetchone()
    return p50, p99, count


def routing_span(window: Window) -> tuple[int, float | None]:
    """How many of the window's complaints were routed and over how long (first to last assignment)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), extract(epoch FROM max(a.assigned_at) - min(a.assigned_at)) FROM dispatch_assignment a "
            "JOIN complaints_complaint c ON c.id = a.complaint_id "
            "WHERE c.submitted_at BETWEEN %s AND %s AND a.role = 'lead' AND a.reason = 'routed'",
            [_ts(window.started), _ts(window.ended + 1)],
        )
        count, span = cursor.fetchone()
    return count, span


def latency(window: Window, share: float) -> float | None:
    return percentile(window.latencies, share)


def _ts(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, tz=UTC)
