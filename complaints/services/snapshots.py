"""Small, read-mostly tables (the category tree, the place tree) held in each
process's memory, so an intake POST reads them without a query.

Each snapshot has a version token in the shared cache (Redis in production). A
copy is used as it is for VERSION_CHECK_SECONDS, then its token is compared with
the cache's: one cache read, no query. A save or delete of a row drops this
process's copy at once and bumps the token at once and again when the transaction
commits, so every other process rebuilds within VERSION_CHECK_SECONDS, and a copy
built from the rows before the commit is dropped too. Bulk writes that send no
signals (the imports) call `forget` themselves. A cache that does not answer costs
a query per read, never the intake. Without a shared cache (no CACHE_URL, each
process's memory) no process hears of another's writes: a copy is then rebuilt
every UNSHARED_MAX_AGE_SECONDS.
"""

import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from time import monotonic
from typing import Generic, TypeVar

from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction

logger = logging.getLogger(__name__)

# How stale another process's write may leave this one's copy. A cache read per
# lookup would cost an intake POST several round trips to Redis.
VERSION_CHECK_SECONDS = 1.0
UNSHARED_MAX_AGE_SECONDS = 60.0

T = TypeVar("T")

_every: list["Snapshot"] = []


@dataclass
class _Copy(Generic[T]):
    version: str
    data: T
    built_at: float
    checked_at: float


class Snapshot(Generic[T]):
    def __init__(self, *, name: str, build: Callable[[], T]):
        self.key = version_key(name)
        self._build = build
        self._lock = threading.Lock()
        self._current: _Copy[T] | None = None
        _every.append(self)

    def get(self) -> T:
        """The snapshot, rebuilt first when its version moved on (or the cache is down)."""
        now, current = monotonic(), self._current
        if current is not None and now - current.checked_at < VERSION_CHECK_SECONDS:
            return current.data
        version = self._version()
        if current is not None and version is not None and current.version == version and not self._aged(current, now):
            current.checked_at = now
            return current.data
        with self._lock:
            # A thread that held the lock may have built this version meanwhile (a
            # threaded server's first requests all arrive cold): one build, not one each.
            built = self._current
            if built is not None and version is not None and built.version == version and built is not current:
                return built.data
            # Built after the version was read: a write that commits meanwhile
            # bumps the token past this copy's, and the next check rebuilds.
            data = self._build()
            if version is not None:
                self._current = _Copy(version=version, data=data, built_at=now, checked_at=now)
            return data

    def forget(self, **kwargs) -> None:
        """Drop every process's copy; a signal receiver (hence **kwargs)."""
        self._current = None
        self._bump()
        transaction.on_commit(self._bump, robust=True)

    @staticmethod
    def _aged(copy: _Copy, now: float) -> bool:
        unshared = isinstance(caches["default"], LocMemCache)
        return unshared and now - copy.built_at >= UNSHARED_MAX_AGE_SECONDS

    def _version(self) -> str | None:
        try:
            version = cache.get(self.key)
            if version is None:
                cache.add(self.key, uuid.uuid4().hex, timeout=None)
                version = cache.get(self.key)
        except Exception:  # noqa: BLE001 - a cache that is down must never stop intake
            logger.warning("snapshot %s: the cache did not answer; reading the database", self.key, exc_info=True)
            return None
        return version

    def _bump(self) -> None:
        try:
            cache.set(self.key, uuid.uuid4().hex, timeout=None)
        except Exception:  # noqa: BLE001
            logger.warning("snapshot %s: the cache did not answer; not invalidated", self.key, exc_info=True)


def instance_row(instance) -> tuple:
    """A model instance's concrete fields in the model's order, as `Model.from_db` takes
    them back: what a snapshot keeps of a row instead of the instance, which the threads
    of a process would share and might change or cache into."""
    return tuple(getattr(instance, field.attname) for field in instance._meta.concrete_fields)


def version_key(name: str) -> str:
    """Where the snapshot's version token lives in the shared cache."""
    return f"whistle:snapshot:{name}"


def snapshots_drop_local() -> None:
    """Drop this process's copies, and only them: the next read rebuilds from the
    rows. For a rollback, which sends no signal (each test ends with one)."""
    for snapshot in _every:
        snapshot._current = None
