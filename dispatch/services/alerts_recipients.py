"""Who hears of an alert: the units up the tree and their people, read once per
sweep. A sweep of 2,000 orders of one street office asks who that office's
supervisors are once, not 2,000 times.

Every alert reaches someone: a unit with nobody in the role passes the alert to
the next unit up that has somebody, and an alert that finds nobody up to the
root goes to the 12345 centre's dispatchers, who can at least re-dispatch the
order or chase the unit."""

from collections import defaultdict
from collections.abc import Callable, Iterable

from dispatch.models import Membership, Role, Unit, UnitKind


class RecipientBook:
    def __init__(self) -> None:
        self._units: dict[int, Unit] = {}
        self._people: dict[tuple[int, str], tuple] = {}
        self._centre: tuple[Unit, list] | None = None
        self._answers: dict[tuple, tuple[Unit, list]] = {}

    def answer(self, *, key: tuple, work_out: Callable[[], tuple[Unit, list]]) -> tuple[Unit, list]:
        """Who hears of an alert depends only on its units and level (`key`), so
        10,000 alerts of one street office are worked out once, not 10,000 times."""
        if key not in self._answers:
            self._answers[key] = work_out()
        return self._answers[key]

    def unit_up(self, *, unit: Unit, steps: int) -> Unit:
        """The unit `steps` levels above `unit` (the root if the tree is shallower)."""
        self._units.setdefault(unit.pk, unit)
        current = unit
        for _step in range(steps):
            if current.parent_id is None:
                break
            if current.parent_id not in self._units:
                self._load_ancestors(current)
            current = self._units[current.parent_id]
        return current

    def chain(self, *, unit: Unit) -> list[Unit]:
        """`unit` and every unit above it, nearest first."""
        units = [unit]
        while units[-1].parent_id is not None:
            units.append(self.unit_up(unit=units[-1], steps=1))
        return units

    def _load_ancestors(self, unit: Unit) -> None:
        # `path` names every ancestor, so one query loads the whole chain.
        codes = [code for code in unit.path.split("/") if code]
        self._units.update({u.pk: u for u in Unit.objects.filter(code__in=codes)})
        if unit.parent_id not in self._units:  # a path out of step with the tree: the FK is the truth
            self._units[unit.parent_id] = Unit.objects.get(pk=unit.parent_id)

    def preload(self, *, units: Iterable[Unit], roles: Iterable[str]) -> None:
        """Read at once what a batch of alerts may ask about: every unit above
        `units` (one query) and their people in `roles` (one more), so a batch
        costs the same few queries however many orders and units it holds."""
        units = list({unit.pk: unit for unit in units}.values())
        for unit in units:
            self._units.setdefault(unit.pk, unit)
        known = {unit.code for unit in self._units.values()}
        codes = {code for unit in units for code in unit.path.split("/") if code} - known
        if codes:
            self._units.update({u.pk: u for u in Unit.objects.filter(code__in=codes)})
        chain_ids = {above.pk for unit in units for above in self.chain(unit=unit)}
        self._people_load(unit_ids=chain_ids, roles=list(roles))

    def people(self, *, unit_ids: Iterable[int], role: str) -> list:
        """Active users with `role` in any of the (active) units, each once."""
        unit_ids = list(dict.fromkeys(unit_ids))
        self._people_load(unit_ids=unit_ids, roles=[role])
        users = {user.pk: user for pk in unit_ids for user in self._people[(pk, role)]}
        return list(users.values())

    def _people_load(self, *, unit_ids: Iterable[int], roles: list[str]) -> None:
        missing = {(pk, role) for pk in unit_ids for role in roles if (pk, role) not in self._people}
        if not missing:
            return
        found = defaultdict(list)
        memberships = Membership.objects.filter(
            unit_id__in={pk for pk, _role in missing},
            role__in={role for _pk, role in missing},
            unit__is_active=True,
            user__is_active=True,
        ).select_related("user")
        for membership in memberships.order_by("user_id"):
            found[(membership.unit_id, membership.role)].append(membership.user)
        for key in missing:
            self._people[key] = tuple(found[key])

    def first_reachable(self, *, units: list[Unit], role: str) -> tuple[Unit, list]:
        """The first of `units` with someone in `role`, and those people; failing
        that, the 12345 centre and its dispatchers; failing that (no centre, or
        nobody in it), the first unit and nobody."""
        self.people(unit_ids=[u.pk for u in units], role=role)  # one query for the whole chain
        for unit in units:
            people = self.people(unit_ids=[unit.pk], role=role)
            if people:
                return unit, people
        centre, dispatchers = self.centre()
        if dispatchers:
            return centre, dispatchers
        return units[0], []

    def centre(self) -> tuple[Unit | None, list]:
        """The 12345 centre (the first active one) and its dispatchers."""
        if self._centre is None:
            centre = Unit.objects.filter(kind=UnitKind.CENTRE, is_active=True).order_by("path").first()
            dispatchers = self.people(unit_ids=[centre.pk], role=Role.DISPATCHER) if centre else []
            self._centre = (centre, dispatchers)
        return self._centre
