"""The units an order page offers, as each process holds them between writes
(complaints.services.snapshots): the communities a street office may hand an order
down to, and the departments of each district and the city's utilities that a lead may
summon. The order page and the order API list them without a query; the services that
act on a choice (assignment_hand_down, whistle_blow) check it against the tables, so a
copy a second behind another process's write offers a unit they then refuse, nothing more.

Kept as plain rows, never model instances (as dispatch.services.routing_snapshot: a
threaded server's requests share the copy); each call makes its own instances.
Forgotten on every save and delete of a unit or a region (a department belongs to the
district its parent serves), and by the unit seed's bulk writes.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS

from complaints.services.snapshots import Snapshot, instance_row
from dispatch.models import Unit, UnitKind


@dataclass(frozen=True)
class OfferedUnits:
    # A street office's pk → its active communities' rows, in code order.
    communities: dict[int, tuple[tuple, ...]]
    # A district's code → its active departments' rows, in path order.
    departments: dict[str, tuple[tuple, ...]]
    utilities: tuple[tuple, ...]  # the active utilities' rows, in path order
    db: str


def communities_under(street_office_pk: int) -> list[Unit]:
    """The active communities under a street office, by code."""
    offered = _snapshot.get()
    return _units(offered, offered.communities.get(street_office_pk, ()))


def summonable_in(district_code: str | None) -> list[Unit]:
    """The active departments of the district and the city's utilities, departments
    first, each in path order (as `order_by("kind", "path")`)."""
    offered = _snapshot.get()
    return _units(offered, (*offered.departments.get(district_code or "", ()), *offered.utilities))


def offered_units_forget(**kwargs) -> None:
    """Every process rebuilds the copy on its next read (a signal receiver, hence **kwargs)."""
    _snapshot.forget()


def _units(offered: OfferedUnits, rows: Iterable[tuple]) -> list[Unit]:
    return [Unit.from_db(offered.db, None, row) for row in rows]


def _build() -> OfferedUnits:
    # From the primary even in a report request: a copy built from a lagging replica
    # would be kept until the next write.
    db = DEFAULT_DB_ALIAS
    active = Unit.objects.using(db).filter(is_active=True)
    communities: dict[int, list[tuple]] = {}
    for unit in active.filter(kind=UnitKind.COMMUNITY, parent__isnull=False).order_by("code", "pk"):
        communities.setdefault(unit.parent_id, []).append(instance_row(unit))
    departments: dict[str, list[tuple]] = {}
    for unit in (
        active.filter(kind=UnitKind.DEPARTMENT, parent__region__isnull=False)
        .select_related("parent__region")
        .order_by("path", "pk")
    ):
        departments.setdefault(unit.parent.region.code, []).append(instance_row(unit))
    utilities = tuple(instance_row(unit) for unit in active.filter(kind=UnitKind.UTILITY).order_by("path", "pk"))
    return OfferedUnits(
        communities={pk: tuple(rows) for pk, rows in communities.items()},
        departments={code: tuple(rows) for code, rows in departments.items()},
        utilities=utilities,
        db=db,
    )


_snapshot = Snapshot(name="offered-units", build=_build)
