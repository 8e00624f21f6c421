"""One outline index and one name index per process, built on first use.

A lookup costs no query: in this process every save or delete of a region or an
outline (and every bulk import, which calls `forget`) drops the indexes; another
process's import is noticed by a cheap signature (row counts, newest outline),
read at most every SIGNATURE_CHECK_SECONDS.
"""

import threading
import time
from dataclasses import dataclass

from django.db.models import Count, Max
from django.db.models.signals import post_delete, post_save

from complaints.geo.names import NameIndex
from complaints.geo.outlines import OutlineIndex
from complaints.models import Region, RegionBoundary

SIGNATURE_CHECK_SECONDS = 60.0


@dataclass
class _Indexes:
    outlines: OutlineIndex
    names: NameIndex
    signature: tuple
    checked_at: float


_lock = threading.Lock()
_current: _Indexes | None = None


def forget(**kwargs) -> None:
    """Drop the indexes; the next lookup rebuilds them."""
    global _current
    _current = None


def indexes() -> tuple[OutlineIndex, NameIndex]:
    global _current
    current, now = _current, time.monotonic()
    if current is not None and now - current.checked_at < SIGNATURE_CHECK_SECONDS:
        return current.outlines, current.names
    with _lock:
        signature = _signature()
        current = _current
        if current is None or current.signature != signature:
            current = _Indexes(
                outlines=OutlineIndex.load(), names=NameIndex.load(), signature=signature, checked_at=now
            )
        current.checked_at = now
        _current = current
        return current.outlines, current.names


def _signature() -> tuple:
    regions = Region.objects.aggregate(count=Count("id"), newest=Max("id"))
    outlines = RegionBoundary.objects.aggregate(count=Count("id"), newest=Max("imported_at"))
    return (regions["count"], regions["newest"], outlines["count"], outlines["newest"])


for model in (Region, RegionBoundary):
    post_save.connect(forget, sender=model, dispatch_uid=f"geo-forget-saved-{model.__name__}")
    post_delete.connect(forget, sender=model, dispatch_uid=f"geo-forget-deleted-{model.__name__}")
