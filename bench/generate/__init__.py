"""Generate a city's history into a seeded database: `city_generate(cursor=…, n=…)`.

Everything is set-based SQL on one connection (INSERT … SELECT over a plan
table drawn with generate_series and random()), so a million complaints take
minutes, not hours, and every constraint of the models holds by construction;
tests/bench/test_generate.py checks that it does.
"""

import time
from dataclasses import dataclass, field
from datetime import datetime

from bench.generate.constraints import foreign_keys_drop, foreign_keys_restore, indexes_drop, indexes_restore
from bench.generate.history import alerts_sql, events_sql
from bench.generate.lookups import lookups_load
from bench.generate.plan import INDEX_SQL, SIDE_PATHS, draw_sql, hot_streets, plan_sql
from bench.generate.rows import rows_write

# The tables written here: their id sequences are set past the largest id.
TABLES = (
    "complaints_complaint",
    "complaints_complaintevent",
    "complaints_rating",
    "dispatch_assignment",
    "dispatch_alert",
    "dispatch_extension",
    "dispatch_triageitem",
    "dispatch_directanswer",
)


@dataclass
class Generated:
    n: int
    seconds: float = 0.0
    steps: dict = field(default_factory=dict)
    rows: dict = field(default_factory=dict)
    hot: list = field(default_factory=list)


def city_generate(*, cursor, n: int, now: datetime, seed: float = 0.42, log=print) -> Generated:
    """Write `n` complaints with their history, ending at `now`, and ANALYZE."""
    if n < 1:
        raise ValueError("n must be a positive number of complaints")
    result = Generated(n=n)
    started = time.monotonic()

    def step(name: str, *statements: str, params: dict | None = None) -> None:
        t = time.monotonic()
        for sql in statements:
            cursor.execute(sql, params)
        result.steps[name] = time.monotonic() - t
        log(f"  {name}: {result.steps[name]:.1f} s")

    _temp_buffers(cursor)
    cursor.execute("SELECT setseed(%s)", [seed])
    cursor.execute("SET work_mem = '256MB'")
    cursor.execute("SET maintenance_work_mem = '512MB'")
    t = time.monotonic()
    lookups = lookups_load(cursor)
    result.steps["lookups"] = time.monotonic() - t
    if not lookups.places or not lookups.categories:
        raise ValueError("seed the reference data first (manage.py seed_reference): no communities or categories")
    hot = hot_streets(n=n, streets=lookups.streets)
    result.hot = [(code, count) for code, count, _f, _p in hot]
    street_cats = [c.n for c in lookups.categories if c.target_kind == "street_office"]
    direct = lookups.article is not None and lookups.operator_id is not None
    params = {
        "n": n,
        "now": now,
        "base": _max_id(cursor, "complaints_complaint"),
        "abase": _max_id(cursor, "dispatch_assignment"),
        "ebase": _max_id(cursor, "dispatch_extension"),
        "places": lookups.places,
        "cats": len(lookups.categories),
        "street_cats": street_cats or [0],
        "street_cat_count": max(len(street_cats), 1),
        "operator": lookups.operator_id,
        "phones": max(n // 2, 1000),
        "article": lookups.article[0] if direct else None,
        "article_version": lookups.article[1] if direct else None,
        "article_title": _article_title(cursor, lookups.article[0]) if direct else None,
        **SIDE_PATHS,
    }
    t = time.monotonic()
    keys = foreign_keys_drop(cursor, tables=TABLES)
    indexes = indexes_drop(cursor, tables=TABLES)
    result.steps["drop foreign keys and indexes"] = time.monotonic() - t
    step("plan", draw_sql(hot, direct=direct), plan_sql(), INDEX_SQL, params=params)
    t = time.monotonic()
    rows_write(cursor, params=params)
    result.steps["complaints, assignments, ratings, triage"] = time.monotonic() - t
    log(f"  complaints, assignments, ratings, triage: {time.monotonic() - t:.1f} s")
    step("events", *events_sql(), params=params)
    step("alerts", *alerts_sql(), params=params)
    t = time.monotonic()
    indexes_restore(cursor, definitions=indexes)
    result.steps["indexes built"] = time.monotonic() - t
    log(f"  indexes built: {result.steps['indexes built']:.1f} s")
    t = time.monotonic()
    foreign_keys_restore(cursor, keys=keys)
    result.steps["foreign keys checked"] = time.monotonic() - t
    log(f"  foreign keys checked: {result.steps['foreign keys checked']:.1f} s")
    step("sequences", *[_sequence_sql(table) for table in TABLES])
    # The whole database: the reference tables seeded just before have no statistics
    # yet either, and a planner that believes 8,000 units are 5 picks nested loops.
    step("analyze", "ANALYZE")
    cursor.execute("DROP TABLE bench_draw, bench_plan, bench_place, bench_dept, bench_cat, bench_catpol")
    for table in TABLES:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - table names are the constant TABLES
        result.rows[table] = cursor.fetchone()[0]
    result.seconds = time.monotonic() - started
    return result


def _temp_buffers(cursor) -> None:
    """The plan is a temporary table of about 1 kB a complaint, scanned once per
    table written: kept in the session's memory instead of 8 MB of buffers. Only
    possible before the session's first temporary table; otherwise the default."""
    cursor.execute("SAVEPOINT bench_temp_buffers")
    try:
        cursor.execute("SET temp_buffers = '3GB'")
    except Exception:  # noqa: BLE001 - psycopg2's error for "temporary tables already accessed"
        cursor.execute("ROLLBACK TO SAVEPOINT bench_temp_buffers")
    cursor.execute("RELEASE SAVEPOINT bench_temp_buffers")


def _max_id(cursor, table: str) -> int:
    cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")  # noqa: S608 - a constant table name
    return cursor.fetchone()[0]


def _article_title(cursor, article_id: int) -> str:
    cursor.execute("SELECT title FROM dispatch_knowledgearticle WHERE id = %s", [article_id])
    return cursor.fetchone()[0]


def _sequence_sql(table: str) -> str:
    return (
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - a constant table name
        f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
    )
