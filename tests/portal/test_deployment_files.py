"""What the Dockerfile, compose file and runtime requirements promise a deployment."""

import re
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def test_gunicorn_runs_without_its_control_socket_in_the_image_and_in_compose():
    # The control socket lets any local user of the host reconfigure the server.
    for name in ("Dockerfile", "docker-compose.yml"):
        text = (BASE_DIR / name).read_text()
        assert "gunicorn" in text, name
        assert "--no-control-socket" in text, name


def test_the_runtime_requirements_carry_the_redis_transport_s_own_dependencies():
    # kombu's Redis transport needs its extra; the dev requirements would hide its absence.
    lines = (BASE_DIR / "requirements.txt").read_text().splitlines()
    assert any(re.fullmatch(r"kombu\[redis\]==[\d.]+", line.strip()) for line in lines)


def test_ci_starts_web_worker_and_beat_from_the_runtime_requirements_alone():
    script = (BASE_DIR / ".ci" / "runtime-smoke").read_text()
    assert 'pip" install --quiet -r requirements.txt' in script
    assert "requirements-dev" not in script
    run = (BASE_DIR / ".ci" / "run").read_text()
    assert ".ci/runtime-smoke" in run
