"""Tests marked `services` run against real PostgreSQL, Redis and Celery worker
processes. Without them configured they skip, with the reason; CI sets
WHISTLE_REQUIRE_SERVICES=1 so that a missing service fails the run instead of
quietly skipping what these tests exist to prove."""

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation

BASE_DIR = Path(__file__).resolve().parents[2]
WORKER_READY_WITHIN = 30  # seconds


def services_required() -> bool:
    return os.environ.get("WHISTLE_REQUIRE_SERVICES", "").strip().lower() in ("1", "true", "yes", "on")


def missing_services(*, redis_needed: bool = True) -> list[str]:
    """What a `services` test needs and does not have, as readable reasons."""
    missing = []
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine != "django.db.backends.postgresql":
        missing.append(f"the database is {engine}, not PostgreSQL (set DATABASE_URL=postgres://…)")
    broker = settings.CELERY_BROKER_URL
    if not redis_needed:
        return missing
    if not broker.startswith("redis://"):
        missing.append("the Celery broker is not Redis (set CELERY_BROKER_URL=redis://…)")
    else:
        import redis

        try:
            redis.Redis.from_url(broker, socket_connect_timeout=2, socket_timeout=2).ping()
        except redis.RedisError as exc:
            missing.append(f"Redis at {broker} does not answer PING ({exc})")
    return missing


def redis_url_for_tests() -> str:
    """A Redis database of the tests' own, so flushing it touches nothing else; one
    per xdist worker so parallel runs do not take each other's messages."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    number = 15 - int(re.sub(r"\D", "", worker) or 0) % 8
    base = settings.CELERY_BROKER_URL.split("?", 1)[0]
    base = re.sub(r"/\d*$", "", base[len("redis://") :])
    return f"redis://{base}/{number}"


def database_url_of_test_db(connection) -> str:
    """A DATABASE_URL for the database pytest-django created (e.g. test_test)."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "localhost"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth + '@' if auth else ''}{host}{port}/{quote(db['NAME'], safe='')}"


@pytest.fixture
def broker_not_eager(settings, monkeypatch):
    """This process (and its live_server thread) publishes to the tests' Redis
    database for real instead of running tasks inline."""
    import redis

    from portal.celery import app

    url = redis_url_for_tests()
    redis.Redis.from_url(url).flushdb()
    # Read the app's own values before touching the settings: Celery loads its
    # config lazily, and a first read after the change would save (and later
    # restore) "not eager" for every test that follows.
    saved = (app.conf.task_always_eager, app.conf.broker_url)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = url
    # Celery reads CELERY_BROKER_URL from the environment before its own config.
    monkeypatch.setenv("CELERY_BROKER_URL", url)
    app.conf.task_always_eager = False
    app.conf.broker_url = url
    _drop_broker_pools(app)
    yield url
    app.conf.task_always_eager, app.conf.broker_url = saved
    _drop_broker_pools(app)
    redis.Redis.from_url(url).flushdb()


def _drop_broker_pools(app) -> None:
    # The app caches its connection and producer pools on first publish, and kombu
    # keeps them in global registries keyed by the connection; close and forget
    # both, so the next publish (eager ones too: they acquire a producer) gets a
    # fresh pool on the broker URL now configured, never a closed one.
    from kombu import pools

    app._pool = None
    app.amqp._producer_pool = None
    pools.reset()


def worker_env(*, broker_url: str) -> dict[str, str]:
    """The environment of a real worker process on the tests' database and this broker."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CELERY_")}
    env.update(
        DATABASE_URL=database_url_of_test_db(connection),
        CELERY_BROKER_URL=broker_url,
        CELERY_TASK_ALWAYS_EAGER="0",
        DJANGO_DEBUG="1",
        PYTHONUNBUFFERED="1",
    )
    return env


@pytest.fixture
def celery_worker(transactional_db, broker_not_eager, tmp_path):
    """A real `celery worker` process on the tests' PostgreSQL database and Redis.
    Yields the path of its log; prints the log if the test fails."""
    env = worker_env(broker_url=broker_not_eager)
    log = tmp_path / "worker.log"
    argv = [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo", "-l", "info", "-n", "test@%h"]
    with log.open("w") as out:
        worker = subprocess.Popen(argv, cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + WORKER_READY_WITHIN
        while "ready." not in log.read_text(errors="replace"):
            if worker.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the Celery worker did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.2)
        yield log
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=5)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed and "celery_worker" in item.funcargs:
        log = Path(item.funcargs["celery_worker"])
        report.sections.append(("Celery worker log", log.read_text(errors="replace")))
    if report.when == "call" and report.failed:
        # Tests that start their own servers list their logs here: {title: path}.
        for title, path in getattr(item, "service_logs", {}).items():
            if Path(path).exists():
                report.sections.append((f"{title} log", Path(path).read_text(errors="replace")[-20000:]))


THREADS_JOIN_WITHIN = 30  # seconds


def at_once(*calls):
    """Run the calls in threads released together, each on its own connection and
    in the caller's language (a new thread starts in the portal's default, Chinese).
    Returns each call's result or the exception it raised, in order."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)
    language = translation.get_language()

    def run(index, call):
        try:
            barrier.wait(timeout=THREADS_JOIN_WITHIN)
            with translation.override(language):
                outcomes[index] = call()
        except Exception as exc:  # noqa: BLE001 - the outcome under test
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=THREADS_JOIN_WITHIN)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (deadlock?)"
    return outcomes
