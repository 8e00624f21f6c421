"""Reads of reports and exports go to the read replica, when one is configured.

Which requests may read the replica is decided by `ReplicaReadsMiddleware` (by URL
name, in portal/middleware.py); this module holds the switch it turns and the
router that reads it. Everything else reads and writes the primary, as it does
with no replica configured at all.

The replica is a streaming copy of the primary, a little behind it. So even inside
a report request a read stays on the primary when:
- the request has written anything (it must see its own write);
- the primary is inside a transaction (the transaction's reads must be consistent
  with its writes);
- the model is not report data: sessions, users, tokens and sign-in attempts, and
  the memberships every access decision is made from (a membership just taken away
  must take the reports away with it, however far the replica lags).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA_DB_ALIAS = "replica"
# The apps whose tables reports and exports read.
REPORT_DATA_APPS = frozenset({"complaints", "dispatch"})
# Report data all the same read on the primary: who may see what.
PRIMARY_ONLY_MODELS = frozenset({"dispatch.membership"})

_replica_reads: ContextVar[bool] = ContextVar("whistle_replica_reads", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Within this block, report data may be read from the replica (when there is one)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def allow_replica_reads() -> None:
    """From now on in this request, report data may be read from the replica."""
    _replica_reads.set(True)


def end_replica_reads() -> None:
    """Back to the primary for every read (a request's end, or a new request's start)."""
    _replica_reads.set(False)


def replica_reads_allowed() -> bool:
    return _replica_reads.get()


def replica_configured() -> bool:
    return REPLICA_DB_ALIAS in connections.settings


class ReplicaRouter:
    """Writes always to the primary; reads of report data to the replica inside
    `replica_reads()`, and only while nothing forbids it (see the module docstring)."""

    def db_for_read(self, model, **hints) -> str:
        if self._may_read_replica(model):
            return REPLICA_DB_ALIAS
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        # From the first write on, this request reads only the primary.
        if _replica_reads.get():
            _replica_reads.set(False)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        # The replica holds the same rows as the primary: an object read from one
        # may point at an object read from the other.
        aliases = {DEFAULT_DB_ALIAS, REPLICA_DB_ALIAS}
        if obj1._state.db in aliases and obj2._state.db in aliases:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool | None:
        # The replica is a physical copy: it gets its tables from the primary.
        if db == REPLICA_DB_ALIAS:
            return False
        return None

    def _may_read_replica(self, model) -> bool:
        if not _replica_reads.get() or not replica_configured():
            return False
        meta = model._meta
        if meta.app_label not in REPORT_DATA_APPS or meta.label_lower in PRIMARY_ONLY_MODELS:
            return False
        return not connections[DEFAULT_DB_ALIAS].in_atomic_block
