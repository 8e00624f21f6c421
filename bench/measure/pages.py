"""Server-side time of each page and API list, in-process: django.test.Client
through the whole middleware stack (sessions, CSP, locale, the views, the
templates), signed in with force_login as the demo person of the right role,
against the generated city. No network and no gunicorn: the server's own time."""

import time
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.measure import percentile

WARM_UP = 3
ROUNDS = 4  # turns the pages take (pages_time)
BUDGET_SECONDS = 40  # a slow page stops early (at least MIN_REQUESTS), its share in each turn
MIN_REQUESTS = 5
SLOW_SECONDS = 5  # a page this slow gets one warm-up and at least MIN_SLOW_REQUESTS
MIN_SLOW_REQUESTS = 3


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    user: str | None  # a demo username, None for anonymous
    target: str
    cold_cache: bool = False
    rows: str = ""


@dataclass
class Timing:
    page: Page
    count: int = 0
    p50: float | None = None
    p95: float | None = None
    queries: int | None = None
    bytes: int = 0
    error: str = ""


def pages_for(*, now) -> list[Page]:
    """The pages of issue 10, on the objects the generated city has."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM dispatch_unit WHERE code = 's-110101001'")
        row = cursor.fetchone()
        hot_unit = row[0] if row else None
        open_orders = _count(cursor, "SELECT count(*) FROM dispatch_assignment WHERE holder_id = %s "
                             "AND status IN ('assigned', 'accepted', 'in_progress')", [hot_unit])  # fmt: skip
        cursor.execute(
            "SELECT c.tracking_number FROM complaints_complaint c JOIN dispatch_assignment a ON a.complaint_id = c.id "
            "WHERE a.unit_id = %s AND a.status = 'in_progress' AND a.role = 'lead' ORDER BY c.id DESC LIMIT 1",
            [hot_unit],
        )
        row = cursor.fetchone()
        order = row[0] if row else None
        triage = _count(cursor, "SELECT count(*) FROM dispatch_triageitem WHERE closed_at IS NULL", [])
        overdue = _count(
            cursor,
            "SELECT count(*) FROM dispatch_assignment WHERE next_due < %s AND status IN "
            "('assigned', 'accepted', 'in_progress')",
            [now],
        )
    local = timezone.localtime(now)
    last_month = (local.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    today = local.date()
    year_from = (today - timedelta(days=365)).isoformat()
    pages = [
        Page("unit queue (hot unit)", f"/desk/units/{hot_unit}/queue/", "dhm_handler", "p95 ≤ 30 ms",
             rows=f"{open_orders:,} open"),
        Page("order page", f"/desk/orders/{order}/", "dhm_handler", "p95 ≤ 30 ms"),
        Page("triage", "/desk/triage/", "dispatcher", "p95 ≤ 30 ms", rows=f"{triage:,} open"),
        Page("overdue, city", "/desk/overdue/", "city_supervisor", "≤ 60 ms", rows=f"{overdue:,} overdue"),
        Page("rankings, 349 streets, a month", f"/desk/reports/rankings/?month={last_month}&kind=street_office",
             "city_supervisor", "≤ 150 ms"),
        Page("trends, 30 days", "/desk/reports/trends/", "city_supervisor", "≤ 150 ms"),
        Page("trends, 1 year", f"/desk/reports/trends/?from={year_from}&to={today.isoformat()}&by=day",
             "city_supervisor", "≤ 150 ms"),
        Page("hot spots, a month", f"/desk/reports/hotspots/?month={last_month}", "city_supervisor", "≤ 150 ms"),
        Page("overdue CSV, city", "/desk/overdue/?format=csv", "city_supervisor", "≤ 400 ms",
             rows=f"{overdue:,} rows"),
        Page("overdue XLSX, city", "/desk/overdue/?format=xlsx", "city_supervisor", "≤ 1.5 s",
             rows=f"{overdue:,} rows"),
        Page("transparency /open/ (cold cache)", "/open/", None, "", cold_cache=True),
        Page("Open311 requests.json", "/open311/v2/requests.json", None, ""),
        Page("API queue list (hot unit)", f"/api/v1/units/{hot_unit}/queue/", "dhm_handler", "p95 ≤ 30 ms",
             rows=f"{open_orders:,} open"),
    ]  # fmt: skip
    if hot_unit is None or order is None:
        missing = "the hot unit s-110101001 or an open order of it is missing"
        pages = [p for p in pages if "None" not in p.url] + [
            Page(p.name, "", p.user, p.target, rows=missing) for p in pages if "None" in p.url
        ]
    return pages


def pages_time(pages: list[Page], *, requests: int) -> list[Timing]:
    """Each page's timing, the pages taking ROUNDS turns of a share of `requests` each
    (after each page's warm-up, in the first turn). A shared box has slow minutes (its
    neighbours' work, not ours: the process's own CPU time per request grows in them);
    taking turns lets them fall on every page alike, not on whichever page was timed then."""
    runs = [_PageRun(page) for page in pages]
    per_turn = -(-requests // ROUNDS)
    for _ in range(ROUNDS):
        for run in runs:
            run.turn(requests=min(per_turn, requests - len(run.durations)))
    return [run.timing() for run in runs]


class _PageRun:
    """One page's client and the durations timed so far; a failure (an answer that is
    not 200, or an exception) ends this page's timing with the reason, not the others'."""

    def __init__(self, page: Page):
        self.page = page
        self.durations: list[float] = []
        self.queries: int | None = None
        self.bytes = 0
        self.error = page.rows if not page.url else ""
        self.slow = False
        self.client: Client | None = None

    def turn(self, *, requests: int) -> None:
        if self.error or requests <= 0:
            return
        try:
            if self.client is None:
                self._start()
                if self.error:
                    return
            # A slow page stops early, after at least its share of the minimum.
            minimum = -(-(MIN_SLOW_REQUESTS if self.slow else MIN_REQUESTS) // ROUNDS)
            budget_end = time.monotonic() + BUDGET_SECONDS / ROUNDS
            for count in range(1, requests + 1):
                took = self._get()
                if self.error:
                    return
                self.durations.append(took)
                if count >= minimum and time.monotonic() > budget_end:
                    return
        except Exception as error:  # noqa: BLE001 - a page that fails is "not measured", with the reason
            self.error = repr(error)[:200]

    def timing(self) -> Timing:
        timing = Timing(self.page, queries=self.queries, bytes=self.bytes, error=self.error)
        if not self.error and self.durations:
            timing.count = len(self.durations)
            timing.p50, timing.p95 = percentile(self.durations, 0.5), percentile(self.durations, 0.95)
        return timing

    def _start(self) -> None:
        self.client = Client()
        if self.page.user:
            user = get_user_model().objects.filter(username=self.page.user).first()
            if user is None:
                self.error = f"no user {self.page.user}"
                return
            self.client.force_login(user)
        for _ in range(WARM_UP):
            with CaptureQueriesContext(connection) as captured:
                took = self._get()
            if self.error:
                return
            self.queries = len(captured.captured_queries)  # the last warm-up's count is kept
            if took > SLOW_SECONDS:
                self.slow = True  # one warm-up is enough for a page that takes seconds
                return

    def _get(self) -> float:
        if self.page.cold_cache:
            cache.clear()
        started = time.perf_counter()
        response = self.client.get(self.page.url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        took = time.perf_counter() - started
        if response.status_code != 200:
            self.error = f"HTTP {response.status_code}"
        self.bytes = len(body)
        return took


def _count(cursor, sql: str, params: list) -> int:
    if None in params:
        return 0
    cursor.execute(sql, params)
    return cursor.fetchone()[0]
