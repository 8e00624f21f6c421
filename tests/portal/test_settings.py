"""portal/settings.py read under different environments, each in a fresh process:
settings are read once at import, so only a new interpreter sees a new environment."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]

SHOW_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"], "name": str(db["NAME"]), "host": db.get("HOST", ""),
    "broker": settings.CELERY_BROKER_URL, "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "debug": settings.DEBUG,
}))
"""


def _clean_env(**values: str) -> dict[str, str]:
    """Only what a shell gives any process, plus `values`. An empty DJANGO_SECRET_KEY
    stands for "unset" and also keeps a developer's .env file from supplying one."""
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env.update(DJANGO_SETTINGS_MODULE="portal.settings", DJANGO_SECRET_KEY="", PYTHONPATH=str(BASE_DIR))
    env.update(values)
    return env


def _run(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(argv, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60)


def _settings_under(env: dict[str, str]) -> dict:
    done = _run([sys.executable, "-c", SHOW_SETTINGS], env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _dotenv_sets(*keys: str) -> bool:
    dotenv = BASE_DIR / ".env"
    if not dotenv.exists():
        return False
    lines = dotenv.read_text().splitlines()
    return any(line.strip().startswith(f"{key}=") for line in lines for key in keys)


def test_production_refuses_to_start_without_a_secret_key():
    done = _run([sys.executable, "manage.py", "check"], _clean_env())

    assert done.returncode != 0
    assert "DJANGO_SECRET_KEY" in done.stderr


def test_debug_mode_starts_without_a_secret_key():
    done = _run([sys.executable, "manage.py", "check"], _clean_env(DJANGO_DEBUG="1"))

    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout


def test_deploy_check_is_clean_under_production_settings():
    env = _clean_env(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="whistle.example.org",
    )
    done = _run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_no_environment_means_sqlite_and_the_embedded_broker():
    if _dotenv_sets("DATABASE_URL", "CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER"):
        pytest.skip("a local .env sets the database or broker")

    seen = _settings_under(_clean_env(DJANGO_DEBUG="1"))

    assert seen["engine"] == "django.db.backends.sqlite3"
    assert seen["name"] == str(BASE_DIR / "db.sqlite3")
    assert seen["broker"] == f"sqla+sqlite:///{BASE_DIR / 'var' / 'broker.sqlite3'}"
    assert seen["eager"] is False


def test_database_url_and_broker_url_switch_to_postgresql_and_redis():
    env = _clean_env(
        DJANGO_DEBUG="1",
        DATABASE_URL="postgres://whistle:secret@db.internal:5432/whistle",
        CELERY_BROKER_URL="redis://cache.internal:6379/2",
    )

    seen = _settings_under(env)

    assert seen["engine"] == "django.db.backends.postgresql"
    assert (seen["name"], seen["host"]) == ("whistle", "db.internal")
    assert seen["broker"] == "redis://cache.internal:6379/2"


def test_debug_is_off_unless_asked_for():
    seen = _settings_under(_clean_env(DJANGO_SECRET_KEY=secrets.token_urlsafe(64)))

    assert seen["debug"] is False


def test_https_deployments_send_a_year_of_hsts_with_preload_and_subdomains():
    env = _clean_env(DJANGO_SECRET_KEY=secrets.token_urlsafe(64))
    done = _run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_PRELOAD, s.SECURE_HSTS_INCLUDE_SUBDOMAINS)",
        ],
        env,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["31536000", "True", "True"]


def test_preload_with_less_than_a_year_refuses_to_start():
    env = _clean_env(DJANGO_SECRET_KEY=secrets.token_urlsafe(64), DJANGO_HSTS_SECONDS="3600", DJANGO_HSTS_PRELOAD="1")
    done = _run([sys.executable, "manage.py", "check"], env)
    assert done.returncode != 0
    assert "DJANGO_HSTS_PRELOAD" in done.stderr and "31536000" in done.stderr
