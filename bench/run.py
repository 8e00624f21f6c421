"""The bench's order of work: its own database and Redis, the seeded city, the
generated history, the pages (on the city as generated), the intake under load,
the sweep, the report; and always the clean-up of what it started."""

import io
import time
from pathlib import Path

from bench.config import Config
from bench.database import database_create, database_drop, redis_claim, redis_release
from bench.environment import environment_apply
from bench.report import Figure, now_utc, report_write, table

METHODS = [
    "generation: set-based SQL (INSERT … SELECT over a plan drawn with generate_series and random()) on one "
    "connection in one transaction, indexes built and foreign keys validated once at the end, then ANALYZE; "
    "after the transaction VACUUM (ANALYZE), as autovacuum keeps a city in service (it is off on this machine); "
    "the reference data (regions, units, rules, policies, demo accounts) by `manage.py migrate` and `seed_demo`, "
    "as `make run` does",
    "intake: gunicorn portal.wsgi with 2 worker processes of 4 threads (gthread) and one Celery worker "
    "(prefork, concurrency 2, the default queue) on the bench database and Redis; no beat. Load from a "
    "separate process (bench/load.py: threads, "
    "http.client) POSTing JSON to /api/v1/complaints/ with the abuse limits and the API throttle off",
    "filed/s: 201 answers over the window (8 connections, as fast as they go); routed/s in window: routed lead "
    "assignments of the window's complaints created before it ended; filed and routed/s: the window's complaints "
    "over the time from its start until the last of them was assigned",
    "p50/p99 at a fixed rate: open loop, each latency counted from the moment the request was due",
    "submit → assigned: complaint submitted_at to its routed lead assignment's assigned_at, at the fixed rate",
    "routing of one worker: worker stopped, a backlog filed for one window, worker started: routed complaints over "
    "the time from the first to the last assignment",
    "raw INSERT + COMMIT: one psycopg2 connection, one row per transaction, into a scratch table of the bench "
    "database, for one window",
    "report rollup: after generation, one report_rollup_refresh() sums every day over (a month per transaction), "
    "as the beat's refresh keeps a live city; the report pages read it for those days and count today live",
    "pages: in-process with django.test.Client (all middleware, views, templates; no network), force_login as the "
    "demo person of the role (dhm_handler, dispatcher, city_supervisor; anonymous for /open/ and Open311), "
    "3 warm-up requests (1 for a page over 5 s) then up to the configured count in 4 turns, the pages taking "
    "turns so that a slow minute of the shared box falls on all of them alike; a page stops a turn after 10 s "
    "once it has its share of 5 (3 for a page over 5 s); queries "
    "counted on the last warm-up request; /open/ with the cache cleared before every request; triage keeps "
    "each street's similar-order counts 5 minutes, so its timed requests read them kept, as a dispatcher's "
    "next view does",
    "deadline sweep: live lead assignments made due at once (contact deadline an hour ago: a warning and a breach "
    "each), their earlier alerts removed, one alerts_sweep() in process, queries counted",
    "peak RSS: VmHWM of each gunicorn worker and of the Celery worker's processes after the load",
    'a target this table misses: docs/SCALING.md gives the profile and the plan (intake: "Where the CPU goes" and '
    '"What would reach 400/s"; the desk\'s pages: "A city of 20 million")',
]


def bench_run(config: Config) -> None:
    started = now_utc()
    env = environment_apply(config)
    database_create(config)
    processes: list = []
    try:
        redis_claim(config)
        figures, context = _run(config, env=env, processes=processes)
        context["methods"] = METHODS
        text = report_write(path=Path(config.output), figures=figures, context=context, started=started)
        print()
        print(table(figures))
        print(f"\nWritten to {config.output} ({len(text):,} characters).")
    finally:
        for process in processes:
            process.stop()
        from django.db import connections

        connections.close_all()
        if config.keep:
            print(f"BENCH_KEEP=1: database {config.database} kept ({config.database_url}).")
        else:
            database_drop(config)
            redis_release(config)


def _run(config: Config, *, env: dict, processes: list) -> tuple[list, dict]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from bench.generate import city_generate

    print(f"make bench: database {config.database}, BENCH_N={config.n:,}")
    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())
    # Production-like pages need the collected, hashed static files (as `make run` collects them).
    call_command("collectstatic", interactive=False, verbosity=0)
    print("Reference data and demo accounts seeded. Generating the city…")
    with transaction.atomic(), connection.cursor() as cursor:
        generated = city_generate(cursor=cursor, n=config.n, now=timezone.now())
    print(f"Generated in {generated.seconds:.0f} s.")
    # Autovacuum may be off (it is on this machine); a city in service has its tables
    # vacuumed, so the visibility map lets index-only scans skip the heap, as they would there.
    vacuum_started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    vacuumed = time.monotonic() - vacuum_started
    print(f"Vacuumed in {vacuumed:.0f} s.")
    figures = [
        Figure(
            "generate",
            "city generated (COPY-free set-based SQL)",
            f"{generated.seconds:.0f} s",
            "well under 5 min",
            rows=f"{generated.rows.get('complaints_complaint', 0):,} complaints, "
            f"{generated.rows.get('complaints_complaintevent', 0):,} events",
            note=", ".join(f"{name} {seconds:.0f} s" for name, seconds in generated.steps.items() if seconds >= 1)
            + f"; then VACUUM (ANALYZE) {vacuumed:.0f} s",
        )
    ]
    context = {
        "n": f"{config.n:,}",
        "generated": f"{generated.seconds:.0f} s",
        "rows": generated.rows,
        "hot": ", ".join(f"s-{code}: {count:,} open" for code, count in generated.hot),
        "windows": config.windows,
        "seconds": config.seconds,
        "rate": config.rate,
        "requests": config.requests,
    }
    from bench.steps import intake_figures, page_figures, rollup_figures, sweep_figures

    figures += rollup_figures()
    figures += page_figures(config)
    figures += intake_figures(config, env=env, processes=processes)
    figures += sweep_figures(config)
    return figures, context
