"""PostgreSQL restarted under light load: a cluster of the test's own (its own port
and directory, stopped and started by the test alone), gunicorn and a Celery worker
on it, a complaint filed over HTTP every 200 ms. While the database is down every
answer is the 503 with Retry-After, never a 500; once it is back web and worker
carry on without being restarted, every accepted complaint is in the database once
and is routed."""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.services.conftest import BASE_DIR, redis_url_for_tests, services_required

pytestmark = pytest.mark.services

FILE_EVERY = 0.2  # seconds between complaints filed
BEFORE_STOP = 2.0  # seconds of filing with the database up
OUTAGE = 5.0  # seconds of filing with the database stopped
AFTER_START = 5.0  # seconds of filing once it is back
ROUTED_WITHIN = 15  # seconds after the load ends
SWEEP_EVERY = 3  # seconds: the test plays beat's part and sends the unrouted sweep this often
SETUP_WITHIN = 40  # seconds for migrate and seed
READY_WITHIN = 20  # seconds for gunicorn and the worker to answer
DB_NAME = "whistle"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _unavailable(reason: str):
    if services_required():
        pytest.fail(f"WHISTLE_REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def _postgres_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))
    if found:
        return found[-1].parent
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl:
        return Path(pg_ctl).parent
    _unavailable("the PostgreSQL server binaries (initdb, pg_ctl) are not installed")


class PrivatePostgres:
    """A throwaway cluster. PostgreSQL refuses to run as root, so as root it runs as
    the `postgres` OS user, in a directory that user owns."""

    def __init__(self):
        self.bin = _postgres_bin()
        self.port = _free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/{DB_NAME}"
        self.dir = Path(tempfile.mkdtemp(prefix="whistle-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "postgres.log"
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            try:
                shutil.chown(self.dir, user="postgres", group="postgres")
            except LookupError:
                _unavailable("running as root and there is no `postgres` OS user to run a cluster as")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.dir.chmod(0o755)

    def _run(self, *argv: str, timeout: float = 60) -> None:
        result = subprocess.run(  # noqa: S603 - our own arguments
            [*self.as_user, *argv], capture_output=True, text=True, timeout=timeout, cwd=self.dir
        )
        if result.returncode != 0:
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            pytest.fail(f"{' '.join(argv)} failed:\n{result.stdout}\n{result.stderr}\n{log}")

    def init(self) -> None:
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def create_database(self) -> None:
        import psycopg2

        connection = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres")
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{DB_NAME}"')
        connection.close()

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        import psycopg2

        connection = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=DB_NAME)
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()
        finally:
            connection.close()

    def remove(self) -> None:
        if self.running():
            try:
                self.stop(mode="immediate")
            except BaseException:  # noqa: BLE001 - cleaning up: remove what is left regardless
                pass
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def private_postgres():
    postgres = PrivatePostgres()
    try:
        postgres.init()
        postgres.start()
        postgres.create_database()
        yield postgres
    finally:
        postgres.remove()


def _children(pid: int) -> set[int]:
    try:
        return {int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:
        return set()


@dataclass
class Stack:
    web: subprocess.Popen
    worker: subprocess.Popen
    base_url: str
    broker_url: str
    category_id: int
    region_code: str
    logs: dict[str, Path]

    def sweep_unrouted(self) -> None:
        """What beat does every 30 s: have the worker re-send routings gone stale."""
        from celery import Celery

        caller = Celery("fault-test", broker=self.broker_url)
        try:
            caller.send_task("dispatch.tasks.sweep_unrouted")
        finally:
            caller.close()

    def resent_by_sweep(self) -> int:
        found = re.findall(r"sweep_unrouted\[[^\]]+\] succeeded in [\d.]+s: (\d+)", self.logs["worker"].read_text())
        return sum(int(n) for n in found)

    def pids(self) -> dict[str, set[int]]:
        return {
            "web": {self.web.pid, *_children(self.web.pid)},
            "worker": {self.worker.pid, *_children(self.worker.pid)},
        }


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


@pytest.fixture
def stack(private_postgres, tmp_path, request):
    """Migrate and seed the private database, then gunicorn (2 workers) and a prefork
    Celery worker on it and on the tests' own Redis database."""
    import redis

    broker_url = redis_url_for_tests()
    redis.Redis.from_url(broker_url).flushdb()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "DJANGO_", "WHISTLE_", "DATABASE_"))}
    env.update(
        DATABASE_URL=private_postgres.url,
        CELERY_BROKER_URL=broker_url,
        CELERY_TASK_ALWAYS_EAGER="0",
        DJANGO_DEBUG="0",  # production's error handling: handler500, not the debug page
        DJANGO_SECRET_KEY="fault-test-" + uuid.uuid4().hex,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_HSTS_SECONDS="0",
        DJANGO_HSTS_PRELOAD="0",
        # The abuse limits are not under test: one client files every complaint here.
        WHISTLE_API_ANON_RATE="100000/minute",
        WHISTLE_LIMIT_FILE_PER_IP="",
        WHISTLE_LIMIT_FILE_PER_PHONE="",
        # A routing whose retries all fell inside the outage is picked up by the sweep.
        WHISTLE_REROUTE_AFTER_SECONDS=str(SWEEP_EVERY),
        PYTHONUNBUFFERED="1",
    )
    logs = {name: tmp_path / f"{name}.log" for name in ("setup", "static", "web", "worker")}
    logs["postgres"] = private_postgres.log
    request.node.service_logs = logs  # shown by tests/services/conftest.py if the test fails

    deadline = time.monotonic() + SETUP_WITHIN
    # Pages need the static files' manifest (DEBUG off); collected while the database is prepared.
    with logs["static"].open("w") as out:
        collect = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        with logs["setup"].open("w") as out:
            for command in (["migrate", "--no-input", "-v", "0"], ["seed_reference"]):
                left = max(1.0, deadline - time.monotonic())
                result = subprocess.run(  # noqa: S603
                    [sys.executable, "manage.py", *command], cwd=BASE_DIR, env=env, stdout=out, stderr=out, timeout=left
                )
                if result.returncode != 0:
                    pytest.fail(f"manage.py {command[0]} failed:\n{logs['setup'].read_text(errors='replace')[-5000:]}")
        if collect.wait(timeout=max(1.0, deadline - time.monotonic())) != 0:
            pytest.fail(f"collectstatic failed:\n{logs['static'].read_text(errors='replace')[-5000:]}")
    finally:
        if collect.poll() is None:
            collect.kill()
            collect.wait(timeout=5)
    category_id, region_code = _routable_place(private_postgres)

    port = _free_port()
    web_argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "portal.wsgi:application",
        "--workers",
        "2",
        "--bind",
        f"127.0.0.1:{port}",
        "--no-control-socket",
        "--access-logfile",
        "-",
    ]
    worker_argv = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "portal",
        "worker",
        "--pool=prefork",
        "--concurrency=2",
        "-l",
        "info",
        "-n",
        "pgrestart@%h",
    ]
    processes = {}
    for name, argv in (("web", web_argv), ("worker", worker_argv)):
        with logs[name].open("w") as out:
            processes[name] = subprocess.Popen(  # noqa: S603
                argv, cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
    try:
        stack = Stack(
            web=processes["web"],
            worker=processes["worker"],
            base_url=f"http://127.0.0.1:{port}",
            broker_url=broker_url,
            category_id=category_id,
            region_code=region_code,
            logs=logs,
        )
        _wait_ready(stack)
        yield stack
    finally:
        for process in processes.values():
            _stop(process)
        redis.Redis.from_url(broker_url).flushdb()


def _routable_place(postgres: PrivatePostgres) -> tuple[int, str]:
    """A leaf of city appearance (routed to the street office; no extra questions
    asked there) and a community."""
    rows = postgres.query(
        "SELECT c.id FROM complaints_category c WHERE c.code LIKE 'city_appearance%%' AND c.is_active "
        "AND NOT EXISTS (SELECT 1 FROM complaints_category k WHERE k.parent_id = c.id) "
        "AND NOT EXISTS (SELECT 1 FROM complaints_categoryquestion q WHERE q.category_id = c.id AND q.required) "
        "ORDER BY c.code LIMIT 1"
    )
    regions = postgres.query("SELECT code FROM complaints_region WHERE level = 'community' ORDER BY code LIMIT 1")
    assert rows and regions, "seed_reference left no city appearance category or no community"
    return rows[0][0], regions[0][0]


def _wait_ready(stack: Stack) -> None:
    deadline = time.monotonic() + READY_WITHIN
    web_up = False
    while True:
        if not web_up:
            try:
                with urllib.request.urlopen(f"{stack.base_url}/file/", timeout=2):  # noqa: S310 - our own server
                    web_up = len(_children(stack.web.pid)) == 2
            except (urllib.error.URLError, OSError):
                pass
        worker_up = "ready." in stack.logs["worker"].read_text(errors="replace")
        if web_up and worker_up:
            return
        for name, process in (("web", stack.web), ("worker", stack.worker)):
            if process.poll() is not None:
                pytest.fail(f"{name} exited:\n{stack.logs[name].read_text(errors='replace')[-5000:]}")
        if time.monotonic() > deadline:
            pytest.fail(f"web up: {web_up}, worker up: {worker_up} after {READY_WITHIN} s")
        time.sleep(0.2)


@dataclass
class Answer:
    n: int
    phase: str
    status: int | str
    retry_after: str | None = None
    tracking_number: str | None = None
    body: str = ""


class Load(threading.Thread):
    """Files a complaint every FILE_EVERY seconds over the REST API and keeps every answer."""

    def __init__(self, stack: Stack):
        super().__init__(daemon=True)
        self.stack = stack
        self.phase = "before"
        self.answers: list[Answer] = []
        self.halt = threading.Event()

    def run(self):
        n = 0
        while not self.halt.is_set():
            started = time.monotonic()
            n += 1
            self.answers.append(self._file(n))
            self.halt.wait(max(0.0, FILE_EVERY - (time.monotonic() - started)))

    def _file(self, n: int) -> Answer:
        body = {
            "category": self.stack.category_id,
            "region": self.stack.region_code,
            "address": f"东华门大街 {n} 号",
            "description": "路边垃圾堆了三天没人清理",
            "resident_name": "张三",
            "resident_phone": f"139{n:08d}",
        }
        request = urllib.request.Request(  # noqa: S310 - our own server
            f"{self.stack.base_url}/api/v1/complaints/",
            data=json.dumps(body).encode(),
            method="POST",
            headers={"Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())},
        )
        phase = self.phase
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return Answer(n, phase, response.status, tracking_number=json.load(response)["tracking_number"])
        except urllib.error.HTTPError as error:
            body = error.read().decode(errors="replace")[:500]
            return Answer(n, phase, error.code, retry_after=error.headers.get("Retry-After"), body=body)
        except (urllib.error.URLError, OSError) as error:
            return Answer(n, phase, f"no answer: {error}")


def _page(stack: Stack, path: str) -> tuple[int, str | None, str]:
    """(status, Retry-After, Content-Type) of a page."""
    try:
        with urllib.request.urlopen(f"{stack.base_url}{path}", timeout=10) as response:  # noqa: S310
            return response.status, response.headers.get("Retry-After"), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Retry-After"), error.headers.get("Content-Type", "")


def _wait_routed(stack: Stack, all_routed) -> bool:
    deadline = time.monotonic() + ROUTED_WITHIN
    next_sweep = time.monotonic() + SWEEP_EVERY
    while not all_routed():
        if time.monotonic() > deadline:
            return False
        if time.monotonic() >= next_sweep:
            stack.sweep_unrouted()
            next_sweep += SWEEP_EVERY
        time.sleep(0.25)
    return True


def test_postgres_restarted_under_load_gives_503s_then_recovers_losing_nothing(private_postgres, stack, tally):
    started = time.monotonic()
    pids_before = stack.pids()
    load = Load(stack)
    load.start()
    try:
        time.sleep(BEFORE_STOP)
        load.phase = "outage"
        private_postgres.stop(mode="fast")
        outage_ends = time.monotonic() + OUTAGE
        # The filing form's lists are in each process's memory now, so it stays up;
        # the transparency page for a district no one asked for is read from the database.
        page = _page(stack, "/open/?district=110101")
        time.sleep(max(0.0, outage_ends - time.monotonic()))
        private_postgres.start()
        load.phase = "after"
        time.sleep(AFTER_START)
    finally:
        load.halt.set()
        load.join(timeout=15)
    answers = load.answers

    statuses = Counter(a.status for a in answers)
    accepted = {a.tracking_number: a.n for a in answers if a.status == 201}
    refused = [a for a in answers if a.status != 201]

    def stored() -> dict[str, tuple[str, str]]:
        rows = private_postgres.query("SELECT tracking_number, status, address FROM complaints_complaint")
        return {number: (status, address) for number, status, address in rows}

    def all_routed() -> bool:
        rows = stored()
        return all(number in rows and rows[number][0] == "assigned" for number in accepted)

    routed = _wait_routed(stack, all_routed)
    rows = stored()
    lost = [number for number in accepted if number not in rows]
    per_request = Counter(address for _, address in rows.values())
    duplicated = sum(count - 1 for count in per_request.values())
    refused_but_saved = [a.n for a in refused if per_request[f"东华门大街 {a.n} 号"]]
    print(
        f"\nPostgreSQL restart under load: filed {len(answers)}, statuses {dict(statuses)}, "
        f"503s {statuses[503]}, 500s {statuses[500]}, lost {len(lost)}, duplicated {duplicated}, "
        f"refused yet saved {len(refused_but_saved)}, routings re-sent by the sweep {stack.resent_by_sweep()}"
    )

    tally.fault = f"PostgreSQL stopped for {OUTAGE:g} s and restarted under load ({statuses[503]} answers 503)"
    tally.update(filed=len(accepted), lost=len(lost), duplicated=duplicated, server_errors=statuses[500])
    assert statuses[500] == 0
    assert all(a.status == 503 and a.retry_after for a in refused), [a for a in refused if a.status != 503]
    assert statuses[503] > 0, "no request met the outage: nothing was proved"
    assert page[0] == 503 and page[1] and page[2].startswith("text/html"), page  # the 503 page, not the API's body
    assert any(a.status == 201 for a in answers if a.phase == "after"), "intake did not recover"
    assert not lost
    assert duplicated == 0
    assert routed, {n: rows.get(n, ("missing",))[0] for n in accepted if rows.get(n, ("",))[0] != "assigned"}
    assert stack.web.poll() is None and stack.worker.poll() is None
    assert _page(stack, "/file/")[0] == 200, "the intake form did not come back"
    assert stack.pids() == pids_before, "a web or worker process was restarted"
    print(f"load and recovery took {time.monotonic() - started:.1f} s")
