"""`make run`'s local serve (WHISTLE_LOCAL=1): debug off, yet plain http on 127.0.0.1 works."""

import json
import subprocess
import sys

from tests.portal.test_settings import BASE_DIR, _clean_env

SHOW = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({"debug": s.DEBUG, "redirect": s.SECURE_SSL_REDIRECT, "cookies": s.SESSION_COOKIE_SECURE,
                  "csrf": s.CSRF_COOKIE_SECURE, "hsts": s.SECURE_HSTS_SECONDS, "key": s.SECRET_KEY}))
"""


def _settings(**env: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", SHOW], cwd=BASE_DIR, env=_clean_env(**env), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_local_serve_keeps_debug_off_but_drops_the_https_only_defaults():
    local = _settings(WHISTLE_LOCAL="1", DJANGO_SECRET_KEY="k" * 50)

    assert local["debug"] is False
    assert (local["redirect"], local["cookies"], local["csrf"], local["hsts"]) == (False, False, False, 0)


def test_production_keeps_the_https_only_defaults():
    production = _settings(DJANGO_SECRET_KEY="k" * 50)

    assert (production["redirect"], production["cookies"], production["hsts"]) == (True, True, 31_536_000)


def test_a_given_secret_key_wins_over_the_local_file():
    assert _settings(WHISTLE_LOCAL="1", DJANGO_SECRET_KEY="given-" + "k" * 44)["key"].startswith("given-")
