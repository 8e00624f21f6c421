"""The portal's processes under test, started and stopped by pid: gunicorn (two
worker processes of GUNICORN_THREADS threads each) and one Celery worker (prefork,
two processes, the project's default queue). Their peak RSS is read from
/proc/<pid>/status (VmHWM: the high-water mark since the process started)."""

import os
import signal
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bench.config import BenchError
from bench.environment import BASE_DIR, PYTHON

LOG_DIR = BASE_DIR / "var" / "bench"


@dataclass
class Process:
    name: str
    argv: list[str]
    env: dict
    popen: subprocess.Popen | None = None
    log: Path | None = None
    peaks: dict = field(default_factory=dict)  # pid -> VmHWM in kB, sampled

    def start(self) -> "Process":
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        self.log = LOG_DIR / f"{self.name}.log"
        handle = self.log.open("ab")
        self.popen = subprocess.Popen(  # noqa: S603 - our own argv
            self.argv, cwd=BASE_DIR, env={**os.environ, **self.env}, stdout=handle, stderr=subprocess.STDOUT
        )
        return self

    def pids(self) -> list[int]:
        """The process and its children (gunicorn's workers, Celery's pool)."""
        if self.popen is None:
            return []
        children = Path(f"/proc/{self.popen.pid}/task/{self.popen.pid}/children")
        try:
            kids = [int(pid) for pid in children.read_text().split()]
        except OSError:
            kids = []
        return [self.popen.pid, *kids]

    def sample(self) -> None:
        for pid in self.pids():
            peak = vm_hwm_kb(pid)
            if peak:
                self.peaks[pid] = max(peak, self.peaks.get(pid, 0))

    def stop(self) -> None:
        if self.popen is None or self.popen.poll() is not None:
            return
        self.sample()
        self.popen.send_signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait(timeout=10)


def vm_hwm_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return 0
    return 0


# Threads per gunicorn process. Threads keep the clients' connections alive (a sync
# worker closes each one after an answer), and a slow client holds one thread rather
# than a whole process. They do not make intake faster on 2 cores: side by side on the
# million-complaint database, gthread filed and routed 100–105/s (152/s with the worker
# stopped), sync 93–105/s (149/s). The CPU bounds intake, not waiting.
GUNICORN_THREADS = 4


def gunicorn_start(*, env: dict, port: int) -> Process:
    argv = [
        PYTHON, "-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
        "--worker-class", "gthread", "--threads", str(GUNICORN_THREADS),
        "--no-control-socket", "--log-level", "warning",
    ]  # fmt: skip
    process = Process("gunicorn", argv, env).start()
    try:
        _answering(process, port=port)
    except BaseException:  # a failed start, or Ctrl-C while waiting: the caller never got the process to stop
        process.stop()
        raise
    return process


def _answering(process: Process, *, port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            raise BenchError(f"gunicorn stopped at start; see {process.log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/open311/v2/services.json", timeout=5) as answer:  # noqa: S310
                if answer.status == 200 and len(process.pids()) >= 3:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise BenchError(f"gunicorn did not answer within a minute; see {process.log}")


def worker_start(*, env: dict) -> Process:
    argv = [
        PYTHON, "-m", "celery", "-A", "portal", "worker", "-l", "warning", "-n", f"bench-{os.getpid()}@%h",
        "--pool=prefork", "--concurrency=2", "--without-gossip", "--without-mingle",
    ]  # fmt: skip
    process = Process("celery-worker", argv, env).start()
    from portal.celery import app

    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.popen.poll() is not None:
                raise BenchError(f"the Celery worker stopped at start; see {process.log}")
            if app.control.ping(destination=[f"bench-{os.getpid()}@{os.uname().nodename}"], timeout=0.5):
                return process
            time.sleep(0.3)
        raise BenchError(f"the Celery worker did not answer within a minute; see {process.log}")
    except BaseException:  # as for gunicorn: stopped here, since the caller never got it
        process.stop()
        raise
