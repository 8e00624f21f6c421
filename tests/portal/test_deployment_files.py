"""What the Dockerfile, compose file and runtime requirements promise a deployment."""

import re
from pathlib import Path

import yaml

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


def _compose() -> dict:
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())


def _command(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def test_compose_runs_exactly_one_beat():
    services = _compose()["services"]
    beats = [name for name, service in services.items() if " beat" in _command(service)]
    assert beats == ["beat"]
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1


def test_compose_runs_several_web_and_worker_containers_behind_one_published_port():
    services = _compose()["services"]
    for name in ("web", "worker"):
        assert services[name]["deploy"]["replicas"].startswith("${"), name
        assert "ports" not in services[name], name
    assert [name for name, service in services.items() if "ports" in service] == ["proxy"]
    # N web containers would race to migrate: one migrator runs first, and web only serves.
    assert "migrate" not in _command(services["web"])
    assert "migrate" in _command(services["migrate"])
    assert services["web"]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}


def test_web_serves_without_its_control_socket_and_learns_client_addresses_from_the_proxy():
    compose = _compose()
    web = _command(compose["services"]["web"])
    assert "gunicorn" in web and "--no-control-socket" in web and "--proxy-protocol" in web
    assert "proxy_protocol on;" in compose["configs"]["proxy-config"]["content"]


def test_the_apps_reach_the_primary_through_pgbouncer_in_transaction_pooling():
    services = _compose()["services"]
    pgbouncer = services["pgbouncer"]["environment"]
    assert pgbouncer["POOL_MODE"] == "transaction"
    assert "@postgres:5432/" in pgbouncer["DATABASE_URL"]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert "@pgbouncer:6432/" in env["DATABASE_URL"], name
        assert env["WHISTLE_PGBOUNCER"] == "1", name
        assert "@postgres-replica:5432/" in env["DATABASE_REPLICA_URL"], name


def test_the_replica_is_a_streaming_standby_of_the_primary():
    compose = _compose()
    standby = compose["configs"]["standby-entrypoint"]["content"]
    assert "pg_basebackup --host=postgres" in standby and "--write-recovery-conf" in standby
    assert "--slot=whistle_replica" in standby
    primary = compose["configs"]["primary-replication"]["content"]
    assert "pg_create_physical_replication_slot('whistle_replica')" in primary
    assert "host replication replicator" in primary
    mounted = {config["target"] for config in compose["services"]["postgres"]["configs"]}
    assert "/docker-entrypoint-initdb.d/10-replication.sh" in mounted
