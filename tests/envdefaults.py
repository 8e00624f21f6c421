"""Test-run defaults, loaded as a pytest plugin (`-p tests.envdefaults`) so they are
set before pytest-django reads the settings. The real environment wins."""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")
os.environ.setdefault("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
# The abuse limits count per process in the test run's memory cache, across tests:
# off by default here, and on with their real rates in the tests that check them.
for _limit in ("TRACK_PER_IP", "TRACK_PER_NUMBER", "FILE_PER_IP", "FILE_PER_PHONE"):
    os.environ.setdefault(f"WHISTLE_LIMIT_{_limit}", "")
