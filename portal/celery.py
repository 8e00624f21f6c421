import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("whistle")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Celery's Django fixup closes the database connection around every task unless this
# is set: each routing message then paid for a new PostgreSQL backend (its fork, its
# cold catalog caches), more than routing the complaint costs. The fixup now closes
# only every 2 × this many tasks; in between, connections live as Django's requests
# keep them (CONN_MAX_AGE), and one left broken (a database restart) is dropped.
app.conf.CELERY_DB_REUSE_MAX = 500


@task_prerun.connect
def _database_ready(sender=None, **kwargs):
    if getattr(sender.request, "is_eager", False):
        return  # run inline, inside the caller's transaction: not ours to touch
    from django.db import close_old_connections, connections

    close_old_connections()
    for connection in connections.all(initialized_only=True):
        # A kept connection may have died with its server (a restart): one round trip
        # tells, as Django's CONN_HEALTH_CHECKS would, and the task gets a new one.
        if connection.connection is not None and not connection.is_usable():
            connection.close()


@task_postrun.connect
def _database_done(sender=None, **kwargs):
    if getattr(sender.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
