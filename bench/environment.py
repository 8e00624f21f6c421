"""The environment every process of the bench runs with: the portal's own
settings (portal/settings.py reads them), pointed at the bench's database and
Redis, production-like (debug off) on plain http, with the abuse limits off so
the load generator's one address and its phones are not refused."""

import os
import secrets
import sys
from pathlib import Path

from bench.config import Config

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def bench_environment(config: Config) -> dict[str, str]:
    env = {
        "DATABASE_URL": config.database_url,
        "DATABASE_CONN_MAX_AGE": "600",
        "CELERY_BROKER_URL": config.broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CACHE_URL": config.cache_url,
        "DJANGO_DEBUG": "0",
        "WHISTLE_LOCAL": "1",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DJANGO_LOG_LEVEL": "WARNING",
        # Alert mails are built and kept in memory, never sent.
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "WHISTLE_SMS_BACKEND": "complaints.notices.sms.LoggingBackend",
        "WHISTLE_API_ANON_RATE": "1000000/s",
        "WHISTLE_OPEN311_RATE": "1000000/s",
        "PYTHONUNBUFFERED": "1",
    }
    for limit in ("TRACK_PER_IP", "TRACK_PER_NUMBER", "FILE_PER_IP", "FILE_PER_PHONE"):
        env[f"WHISTLE_LIMIT_{limit}"] = ""
    return env


def environment_apply(config: Config) -> dict[str, str]:
    env = bench_environment(config)
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    return env
