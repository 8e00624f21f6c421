"""`manage.py serve`: the whole portal in one terminal.

Runs the web server, one Celery worker and exactly one beat as child processes,
prefixes their output, forwards Ctrl-C / SIGTERM to all of them, and stops the
rest (exiting non-zero) as soon as any one of them dies: a portal whose worker is
gone would accept complaints and never route them, which is worse than stopping.
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

STOP_GRACE_SECONDS = 10
READY_TIMEOUT_SECONDS = 30
POLL_SECONDS = 0.2


@dataclass
class Child:
    name: str
    argv: list[str]
    process: subprocess.Popen | None = None
    pump: threading.Thread | None = field(default=None, repr=False)


def embedded_broker_path(broker_url: str) -> Path | None:
    """The SQLite file behind an embedded (`sqla+sqlite:///…`) broker URL, else None."""
    prefix = "sqla+sqlite:///"
    if not broker_url.startswith(prefix):
        return None
    return Path(broker_url[len(prefix) :])


class Command(BaseCommand):
    help = "Serve the portal with a Celery worker and one beat (child processes; Ctrl-C stops all)."

    # The children run their own checks; ours would only run them twice.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on (default 127.0.0.1).")
        parser.add_argument("--port", type=int, default=8000, help="Port to listen on (default 8000).")
        parser.add_argument(
            "--beat-schedule",
            default=None,
            help="File where beat keeps its schedule state (default: CELERY_BEAT_SCHEDULE_FILENAME).",
        )

    def handle(self, *args, host: str, port: int, beat_schedule: str | None, **options):
        if not 0 < port < 65536:
            raise CommandError(f"--port must be between 1 and 65535, not {port}.")
        self._check_port_free(host=host, port=port)
        broker_path = embedded_broker_path(settings.CELERY_BROKER_URL)
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        if broker_path is not None:
            broker_path.parent.mkdir(parents=True, exist_ok=True)
            self._prepare_embedded_broker()

        schedule = beat_schedule or settings.CELERY_BEAT_SCHEDULE_FILENAME
        children = self._children(host=host, port=port, schedule=schedule, embedded=broker_path is not None)
        stopping = threading.Event()

        def request_stop(signum, frame):
            stopping.set()

        previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            for child in children:
                self._start(child)
            self._announce_when_ready(host=host, port=port, children=children, stopping=stopping)
            failed = self._watch(children=children, stopping=stopping)
        finally:
            self._stop_all(children)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if failed is not None:
            code = failed.process.returncode
            raise CommandError(f"{failed.name} exited with code {code}; stopped the others.", returncode=1)
        self.stdout.write("Stopped web, worker and beat.")

    def _check_port_free(self, *, host: str, port: int) -> None:
        """Refuse early and clearly, before anything starts, when the address is taken
        (typically another `make run`)."""
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host.strip("[]"), port))
            except OSError as exc:
                raise CommandError(
                    f"Cannot listen on {host}:{port} ({exc.strerror}). Is the portal already running? "
                    f"Pick another port: make run PORT={port + 1}"
                ) from exc

    def _children(self, *, host: str, port: int, schedule: str, embedded: bool) -> list[Child]:
        python = sys.executable
        celery = [python, "-m", "celery", "-A", "portal"]
        # The embedded broker and SQLite take one writer at a time: one solo worker
        # process is all they serve well. Redis and PostgreSQL get a process pool.
        pool = ["--pool=solo"] if embedded else ["--concurrency=2"]
        manage = str(Path(settings.BASE_DIR) / "manage.py")
        return [
            Child("web", [python, manage, "runserver", "--noreload", f"{host}:{port}"]),
            Child("worker", [*celery, "worker", "-l", "info", "-n", "whistle@%h", *pool]),
            Child("beat", [*celery, "beat", "-l", "info", "-s", schedule]),
        ]

    def _prepare_embedded_broker(self) -> None:
        """Create the broker's tables and default queue once, here, so the worker and
        beat do not race to create them in the same fresh SQLite file."""
        from portal.celery import app

        with app.connection_for_write() as connection:
            queue = app.amqp.queues[app.conf.task_default_queue]
            queue.bind(connection.default_channel).declare()

    def _start(self, child: Child) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        child.process = subprocess.Popen(  # noqa: S603 - argv built here from sys.executable and our own flags
            child.argv,
            cwd=settings.BASE_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            # Own process group: a terminal's Ctrl-C reaches only us, and we stop the
            # children in order instead of all of them racing to die at once.
            start_new_session=True,
        )
        child.pump = threading.Thread(target=self._pump, args=(child,), daemon=True)
        child.pump.start()

    def _pump(self, child: Child) -> None:
        label = f"{child.name:<6}| "
        for raw in iter(child.process.stdout.readline, b""):
            line = raw.decode("utf-8", errors="replace").rstrip("\n")
            self.stdout.write(label + line)
            self.stdout.flush()

    def _announce_when_ready(self, *, host: str, port: int, children: list[Child], stopping) -> None:
        probe_host = "127.0.0.1" if host in ("0.0.0.0", "") else host.strip("[]")  # noqa: S104 - a listen address
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while time.monotonic() < deadline and not stopping.is_set():
            if any(child.process.poll() is not None for child in children):
                return
            try:
                with socket.create_connection((probe_host, port), timeout=1):
                    break
            except OSError:
                time.sleep(POLL_SECONDS)
        else:
            return
        url = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
        self.stdout.write(self.style.SUCCESS(f"Whistle is at {url}  (staff desk: {url}desk/)"))
        self.stdout.write("Web server, Celery worker and beat are running. Press Ctrl-C to stop them all.")

    def _watch(self, *, children: list[Child], stopping) -> Child | None:
        """Wait until asked to stop (None) or until a child dies (that child)."""
        while not stopping.is_set():
            for child in children:
                if child.process.poll() is not None:
                    return child
            time.sleep(POLL_SECONDS)
        return None

    def _stop_all(self, children: list[Child]) -> None:
        running = [c for c in children if c.process is not None and c.process.poll() is None]
        for child in running:
            # SIGTERM: a warm shutdown for the worker (it finishes the task in hand).
            child.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for child in running:
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.stderr.write(f"{child.name} did not stop in {STOP_GRACE_SECONDS} s; killing it.")
                child.process.kill()
                child.process.wait()
        for child in children:
            if child.pump is not None:
                child.pump.join(timeout=2)
