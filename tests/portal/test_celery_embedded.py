"""The embedded mode `make run` uses: SQLite plus Celery on the SQLAlchemy broker,
with a real worker process. Everything Django-side runs in subprocesses on a file
database in a temporary folder, because the worker must see what the test wrote
(pytest's SQLite test database lives in this process's memory).

The helpers `scenario_seed` and `scenario_file_and_wait` are what those
subprocesses run (`python -c "from tests.portal.test_celery_embedded import …"`).
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
ROUTED_WITHIN = 20  # seconds


# --- what the subprocesses run ------------------------------------------------------


def scenario_seed() -> None:
    """东城区 › 东华门街道 › 多福巷社区, its street office, and noise → street office."""
    import django

    django.setup()
    from complaints.models import RegionLevel
    from dispatch.models import TargetKind, UnitKind
    from tests.factories import CategoryFactory, RegionFactory, RoutingRuleFactory, UnitFactory

    city = RegionFactory(code="11", name="北京市", level=RegionLevel.CITY)
    dongcheng = RegionFactory(code="110101", name="东城区", level=RegionLevel.DISTRICT, parent=city)
    street = RegionFactory(code="110101001", name="东华门街道", level=RegionLevel.STREET, parent=dongcheng)
    RegionFactory(code="110101001001", name="多福巷社区", level=RegionLevel.COMMUNITY, parent=street)
    noise = CategoryFactory(code="noise", name="噪声扰民")
    CategoryFactory(code="noise.construction", name="施工噪声", parent=noise)
    city_unit = UnitFactory(code="bj", name="北京市人民政府", kind=UnitKind.CITY)
    district = UnitFactory(
        code="d-110101", name="东城区人民政府", kind=UnitKind.DISTRICT, parent=city_unit, region=dongcheng
    )
    UnitFactory(
        code="s-110101001", name="东华门街道办事处", kind=UnitKind.STREET_OFFICE, parent=district, region=street
    )
    RoutingRuleFactory(name="噪声→街道", category=noise, target_kind=TargetKind.STREET_OFFICE)


def scenario_file_and_wait() -> None:
    """File a construction-noise complaint at 多福巷社区 through the service (its
    on-commit hook enqueues routing on the broker), then wait for a worker to route
    it. Prints the outcome as JSON."""
    import django

    django.setup()
    from django.db import transaction

    from complaints.models import Category, Complaint, Region
    from complaints.services import complaint_submit

    with transaction.atomic():
        complaint = complaint_submit(
            category=Category.objects.get(code="noise.construction"),
            region=Region.objects.get(code="110101001001"),
            address="东华门大街 1 号",
            description="凌晨两点还在施工，噪声很大",
            resident_name="张三",
            resident_phone="13800138000",
        )
    deadline = time.monotonic() + ROUTED_WITHIN
    while True:
        complaint = Complaint.objects.get(pk=complaint.pk)
        if complaint.status != "submitted" or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assignment = complaint.assignments.select_related("unit").first()
    print(json.dumps({"status": complaint.status, "unit": assignment.unit.code if assignment else None}))


# --- helpers for the tests ----------------------------------------------------------


def _site_env(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "DATABASE_", "DJANGO_"))}
    env.update(
        DJANGO_DEBUG="1",
        DJANGO_SETTINGS_MODULE="portal.settings",
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        CELERY_BROKER_URL=f"sqla+sqlite:///{folder / 'broker.sqlite3'}",
        CELERY_TASK_ALWAYS_EAGER="0",
        PYTHONPATH=str(BASE_DIR),
        PYTHONUNBUFFERED="1",
        # Lets a test find every process it started, grandchildren included.
        WHISTLE_TEST_MARK=uuid.uuid4().hex,
    )
    return env


def _run(argv: list[str], env: dict[str, str], timeout: float = 60) -> str:
    done = subprocess.run(argv, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{argv} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _scenario(name: str, env: dict[str, str]) -> str:
    code = f"from tests.portal.test_celery_embedded import {name}; {name}()"
    return _run([sys.executable, "-c", code], env, timeout=ROUTED_WITHIN + 30)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _marked_processes(mark: str) -> list[int]:
    """Processes started with this test's WHISTLE_TEST_MARK, still running."""
    needle = f"WHISTLE_TEST_MARK={mark}".encode()
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if needle in environ.read_bytes().split(b"\0") and _alive(int(environ.parent.name)):
                found.append(int(environ.parent.name))
        except OSError:
            continue
    return found


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _kill_all(process: subprocess.Popen, mark: str) -> None:
    if process.poll() is None:
        process.kill()
        process.wait(timeout=10)
    for pid in _marked_processes(mark):
        os.kill(pid, signal.SIGKILL)


def _wait_for_text(log: Path, text: str, process: subprocess.Popen, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in log.read_text(errors="replace"):
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.2)
    return False


@pytest.fixture(scope="module")
def seeded_database(tmp_path_factory):
    """Migrated and seeded once per module; each test gets its own copy."""
    folder = tmp_path_factory.mktemp("seeded")
    env = _site_env(folder)
    _run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env)
    _scenario("scenario_seed", env)
    return folder / "db.sqlite3"


@pytest.fixture
def site(tmp_path, seeded_database):
    """A seeded SQLite database and an empty embedded broker in tmp_path."""
    shutil.copy(seeded_database, tmp_path / "db.sqlite3")
    return tmp_path, _site_env(tmp_path)


# --- the tests ----------------------------------------------------------------------


def test_real_worker_on_the_embedded_broker_routes_a_filed_complaint(site):
    folder, env = site
    log = folder / "worker.log"
    argv = [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo", "-l", "info"]
    with log.open("w") as out:
        worker = subprocess.Popen(argv, cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        outcome = json.loads(_scenario("scenario_file_and_wait", env).strip().splitlines()[-1])
        assert outcome == {"status": "assigned", "unit": "s-110101001"}, log.read_text()
        assert "dispatch.tasks.route_complaint" in log.read_text()
        assert "succeeded" in log.read_text()
    finally:
        _kill_all(worker, env["WHISTLE_TEST_MARK"])


def test_serve_runs_web_worker_and_beat_and_stops_them_all_on_sigterm(site):
    folder, env = site
    port = _free_port()
    log = folder / "serve.log"
    argv = [
        sys.executable, "manage.py", "serve", "--port", str(port),
        "--beat-schedule", str(folder / "celerybeat-schedule"),
    ]  # fmt: skip
    with log.open("w") as out:
        serve = subprocess.Popen(argv, cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        assert _wait_for_text(log, f"Whistle is at http://127.0.0.1:{port}/", serve, timeout=30), log.read_text()
        assert len(_marked_processes(env["WHISTLE_TEST_MARK"])) == 4, "serve + web, worker, beat"

        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:  # noqa: S310
            assert response.status == 200
            assert "text/html" in response.headers["Content-Type"]
        outcome = json.loads(_scenario("scenario_file_and_wait", env).strip().splitlines()[-1])
        assert outcome == {"status": "assigned", "unit": "s-110101001"}, log.read_text()
        assert _wait_for_text(log, "beat: Starting", serve, timeout=10), log.read_text()

        serve.send_signal(signal.SIGTERM)
        assert serve.wait(timeout=20) == 0, log.read_text()
        assert "Stopped web, worker and beat." in log.read_text()
        assert _marked_processes(env["WHISTLE_TEST_MARK"]) == []
    finally:
        _kill_all(serve, env["WHISTLE_TEST_MARK"])


def test_serve_stops_the_others_and_fails_when_one_of_them_dies(site):
    folder, env = site
    mark = env["WHISTLE_TEST_MARK"]
    log = folder / "serve.log"
    argv = [
        sys.executable, "manage.py", "serve", "--port", str(_free_port()),
        "--beat-schedule", str(folder / "celerybeat-schedule"),
    ]  # fmt: skip
    with log.open("w") as out:
        serve = subprocess.Popen(argv, cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        assert _wait_for_text(log, "ready.", serve, timeout=30), log.read_text()
        worker = next(pid for pid in _marked_processes(mark) if b"worker" in _cmdline(pid))
        os.kill(worker, signal.SIGKILL)

        assert serve.wait(timeout=20) != 0, log.read_text()
        assert "worker exited with code -9; stopped the others." in log.read_text()
        assert _marked_processes(mark) == [], "web and beat must stop with the worker"
    finally:
        _kill_all(serve, mark)


def test_serve_refuses_a_port_already_in_use_before_starting_anything(tmp_path):
    env = _site_env(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        argv = [sys.executable, "manage.py", "serve", "--port", str(port)]
        done = subprocess.run(argv, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=30)
    assert done.returncode != 0
    assert f"Cannot listen on 127.0.0.1:{port}" in done.stderr
    assert f"make run PORT={port + 1}" in done.stderr
    assert "celery" not in done.stdout
