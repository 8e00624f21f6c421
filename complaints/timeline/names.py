"""The one question the timeline asks dispatch: the names of units, by id.

Events store unit ids; only dispatch knows units, and complaints never imports
dispatch. Dispatch registers a provider in its AppConfig.ready that answers for
the whole list in one query, so a timeline of N events costs one query for all
its units. With no provider registered a unit is shown by its number."""

from collections.abc import Callable, Iterable


class UnitNamesProvider:
    """A registry with one slot: dispatch fills it, the timeline renderer asks it."""

    def __init__(self):
        self._provider: Callable[[list[int]], dict[int, str]] | None = None

    def register(self, provider: Callable[[list[int]], dict[int, str]]) -> None:
        self._provider = provider

    def __call__(self, unit_ids: Iterable[int]) -> dict[int, str]:
        ids = sorted({int(pk) for pk in unit_ids if isinstance(pk, int) or str(pk).isdigit()})
        if self._provider is None or not ids:
            return {}
        return self._provider(ids)


unit_names_provider = UnitNamesProvider()
