"""Each measurement turned into figures beside issue 10's targets (and today's
figures from the issue, for comparison, in the note)."""

from django.utils import timezone

from bench.config import Config
from bench.measure import ms
from bench.processes import LOG_DIR, Process, gunicorn_start, worker_start
from bench.report import Figure


def page_figures(config: Config) -> list[Figure]:
    from bench.measure.pages import pages_for, pages_time

    figures = []
    for timing in pages_time(pages_for(now=timezone.now()), requests=config.requests):
        page = timing.page
        if timing.error:
            figures.append(Figure("c. pages", page.name, "not measured", page.target, page.rows, timing.error))
            print(f"  {page.name}: not measured: {timing.error}")
            continue
        figures.append(
            Figure(
                "c. pages",
                page.name,
                f"p50 {ms(timing.p50)} / p95 {ms(timing.p95)}",
                page.target,
                page.rows,
                f"{timing.count} requests, {timing.queries} queries, {timing.bytes / 1024:.0f} KiB",
            )
        )
        print(f"  {page.name}: p50 {ms(timing.p50)} p95 {ms(timing.p95)} ({timing.queries} queries)")
    return figures


def rollup_figures() -> list[Figure]:
    """The reports' rollup summed for the whole generated history at once, as the beat's
    refresh leaves a city it has kept up with, so the report pages are measured on it."""
    import time

    from dispatch.models import ReportRollupDay, RollupHotSpotMonth, RollupReceivedDay, RollupTrendDay, RollupUnitDay
    from dispatch.reports.rollup.refresh import report_rollup_refresh

    started = time.perf_counter()
    result = report_rollup_refresh()
    seconds = time.perf_counter() - started
    rows = sum(m.objects.count() for m in (RollupUnitDay, RollupTrendDay, RollupReceivedDay, RollupHotSpotMonth))
    print(f"  report rollup: {result.days} days summed in {seconds:.0f} s, {rows:,} rows")
    return [
        Figure(
            "generate",
            "report rollup summed (backfill of every day)",
            f"{seconds:.0f} s",
            "once; then the beat's minute refresh",
            f"{ReportRollupDay.objects.count():,} days, {rows:,} rows",
            f"{result.batches} month batches, {seconds / max(result.batches, 1):.1f} s a month",
        )
    ]


def intake_figures(config: Config, *, env: dict, processes: list) -> list[Figure]:
    from bench.measure import intake
    from bench.measure.insert import raw_insert_rate

    figures: list[Figure] = []
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    places = LOG_DIR / "places.json"
    intake.places_file(path=places)
    raw = raw_insert_rate(database_url=config.database_url, seconds=config.seconds)
    print(f"  raw INSERT + COMMIT: {raw:,.0f}/s")

    web = gunicorn_start(env=env, port=config.port)
    processes.append(web)
    worker = worker_start(env=env)
    processes.append(worker)
    windows = []
    for n in range(config.windows):
        window = intake.load_run(port=config.port, places=places, seconds=config.seconds, seed=n + 1)
        intake.routing_wait(window)
        windows.append(window)
        e2e = window.end_to_end_per_second
        print(
            f"  window {n + 1}: filed {window.filed_per_second:.1f}/s, routed in window "
            f"{window.routed_in_window / window.seconds:.1f}/s, filed and routed "
            f"{'—' if e2e is None else f'{e2e:.1f}'}/s, errors {window.errors} {window.statuses}"
        )
        for sample in window.samples:
            print(f"    refused: {sample}")
    e2e_values = [w.end_to_end_per_second for w in windows if w.end_to_end_per_second is not None]
    e2e = min(e2e_values) if len(e2e_values) == len(windows) else None
    errors = sum(w.errors for w in windows)
    section = "a. intake"
    figures += [
        Figure(
            section,
            "filed and routed per second (worst window)",
            "not drained" if e2e is None else f"{e2e:.1f}/s",
            "≥ 400/s",
            f"{sum(w.filed for w in windows):,} filed",
            "windows: " + ", ".join(_e2e(w) for w in windows) + "; today in the issue: 47.5/s",
        ),
        Figure(
            section,
            "filed per second, routing running (mean)",
            f"{sum(w.filed for w in windows) / sum(w.seconds for w in windows):.1f}/s",
            "",
            note="windows: " + ", ".join(f"{w.filed_per_second:.1f}" for w in windows),
        ),
        Figure(
            section,
            "routed per second within the windows (mean)",
            f"{sum(w.routed_in_window for w in windows) / sum(w.seconds for w in windows):.1f}/s",
            "",
            note="backlog left unrouted at the end: " + ", ".join(str(w.backlog) for w in windows),
        ),
        Figure(
            section,
            "errors over the windows",
            str(errors),
            "0",
            note=_statuses(windows) + "".join(f"; e.g. {s[:120]}" for w in windows for s in w.samples[:1]),
        ),
        Figure(
            section,
            "raw single-row INSERT + COMMIT (one psycopg2 connection)",
            f"{raw:,.0f}/s",
            "",
            note="today in the issue: 3,904/s",
        ),
        Figure(
            section,
            "ratio raw INSERT : filed and routed",
            "—" if not e2e else f"{raw / e2e:.1f} : 1",
            "",
        ),
    ]

    fixed = intake.load_run(
        port=config.port, places=places, seconds=config.seconds, rate=config.rate, concurrency=16, seed=99
    )
    intake.routing_wait(fixed)
    p50, p99, count = intake.submit_to_assigned(fixed)
    figures += [
        Figure(
            section,
            f"latency at a fixed {config.rate}/s",
            f"p50 {ms(intake.latency(fixed, 0.5))} / p99 {ms(intake.latency(fixed, 0.99))}",
            "p99 ≤ 100 ms",
            f"{fixed.filed:,} filed",
            f"errors {fixed.errors}; today in the issue: p50 31 ms, p99 ~50 ms (worker stopped)",
        ),
        Figure(
            "b. routing",
            f"submit → assigned at {config.rate}/s",
            f"p50 {ms(p50)} / p99 {ms(p99)}",
            "",
            f"{count:,} routed",
        ),
    ]
    print(f"  fixed {config.rate}/s: {figures[-2].value}; submit → assigned {figures[-1].value}")
    for sample in fixed.samples:
        print(f"    refused: {sample}")
    web.sample()
    worker.sample()
    worker.stop()
    processes.remove(worker)

    backlog = intake.load_run(port=config.port, places=places, seconds=config.seconds, seed=7)
    worker = worker_start(env=env)
    processes.append(worker)
    intake.routing_wait(backlog, timeout=max(300, config.seconds * 20))
    routed, span = intake.routing_span(backlog)
    worker.sample()
    web.sample()
    figures += [
        Figure(
            section,
            "filed per second, worker stopped",
            f"{backlog.filed_per_second:.1f}/s",
            "",
            f"{backlog.filed:,} filed",
            f"errors {backlog.errors}; today in the issue: 122.9/s",
        ),
        Figure(
            "b. routing",
            "routing throughput of one worker (2 processes), backlog",
            "—" if not span else f"{routed / span:.1f}/s",
            "≥ 400/s end to end (≤ 1 ms CPU each)",
            f"{routed:,} of {backlog.filed:,} routed",
            f"over {span or 0:.1f} s; unrouted after the wait: {backlog.backlog}; today in the issue: 77.6/s",
        ),
    ]
    print(f"  worker stopped: filed {backlog.filed_per_second:.1f}/s; routing {figures[-1].value}")
    figures += _rss_figures(web=web, worker=worker)
    for process in (worker, web):
        process.stop()
        processes.remove(process)
    return figures


def sweep_figures(config: Config) -> list[Figure]:
    from bench.measure.sweep import sweep_time

    timing = sweep_time(due=config.sweep_due)
    per = timing.queries / timing.assignments if timing.assignments else 0
    print(f"  sweep: {timing.seconds:.1f} s, {timing.queries:,} queries for {timing.assignments:,} assignments")
    return [
        Figure(
            "d. sweep",
            f"deadline sweep, {timing.due:,} due at once",
            f"{timing.seconds:.1f} s",
            "≤ 5 s (and under its 60 s period)",
            f"{timing.assignments:,} assignments, {timing.alerts:,} alerts, {timing.notifications:,} notifications",
            f"{timing.queries:,} queries ({per:.1f} per assignment); today in the issue: 95–110 s",
        )
    ]


def _rss_figures(*, web: Process, worker: Process) -> list[Figure]:
    master = web.popen.pid
    web_peaks = [kb for pid, kb in web.peaks.items() if pid != master]
    worker_peaks = list(worker.peaks.values())
    return [
        Figure(
            "e. memory",
            "peak RSS of a gunicorn worker",
            f"{max(web_peaks) / 1024:.1f} MB" if web_peaks else "not measured",
            "≤ 120 MB",
            note="VmHWM after the intake load; today in the issue: 105.6 MB",
        ),
        Figure(
            "e. memory",
            "peak RSS of the Celery worker (largest process)",
            f"{max(worker_peaks) / 1024:.1f} MB" if worker_peaks else "not measured",
            "≤ 150 MB",
            note="VmHWM of the worker that routed the backlog (main and pool processes); today in the issue: 88.9 MB",
        ),
    ]


def _e2e(window) -> str:
    value = window.end_to_end_per_second
    return "not drained" if value is None else f"{value:.1f}"


def _statuses(windows) -> str:
    merged: dict = {}
    for w in windows:
        for status, count in w.statuses.items():
            merged[status] = merged.get(status, 0) + count
    return ", ".join(f"HTTP {status}: {count:,}" for status, count in sorted(merged.items()))
