"""Whose part of the unit tree a report covers.

A supervisor sees the subtrees of the units they supervise. The 12345 centre
(anyone with a dispatcher membership) sees the whole city: for reports its reach
is the root of the unit tree, i.e. the empty path prefix every unit path starts
with. Anyone else has no reports at all (NotFound, so a 404).

A report may be narrowed to one unit's subtree (`?unit=<id>`); a unit outside the
user's reach is refused (NotAllowed, so a 403) with a clear message and nothing is
shown. An unknown id gets the same answer, so the refusal does not reveal which
ids exist.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dispatch.access import reach_of, subtree_q
from dispatch.models import Unit
from portal.errors import NotAllowed, NotFound

CITY_WIDE = ""


@dataclass(frozen=True)
class ReportScope:
    paths: tuple[str, ...]
    unit: Unit | None = None  # set when narrowed to one unit's subtree
    city_wide: bool = False

    def q(self, field: str = "unit__path") -> Q:
        return subtree_q(self.paths, field=field)


def report_scope_for(*, user, unit_id: str | int | None = None) -> ReportScope:
    reach = reach_of(user)
    paths = (CITY_WIDE,) if reach.is_dispatcher else reach.supervised_paths
    if not paths:
        raise NotFound
    if unit_id in (None, ""):
        return ReportScope(paths=paths, city_wide=reach.is_dispatcher)
    unit = _unit_by_id(unit_id)
    if unit is None or not any(unit.path.startswith(path) for path in paths):
        raise NotAllowed(_("That unit is not in the part of the city you supervise. Nothing is shown."))
    return ReportScope(paths=(unit.path,), unit=unit)


def _unit_by_id(value) -> Unit | None:
    text = str(value).strip()
    if not text.isdigit() or len(text) > 18:
        return None
    return Unit.objects.filter(pk=int(text)).first()


def public_scope() -> ReportScope:
    """The whole city, for the public transparency page (no user, no login). Only
    for selectors whose output is public by construction (names and counts, no
    resident's data); a person's reports still go through `report_scope_for`."""
    return ReportScope(paths=(CITY_WIDE,), city_wide=True)
