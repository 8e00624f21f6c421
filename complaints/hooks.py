"""The announcements `complaints` makes, and the one question it asks. `dispatch`
connects to them in its AppConfig.ready; `complaints` never imports `dispatch`.

complaint_submitted(sender=Complaint, complaint_id=int)
    Sent after the submitting transaction commits. Receivers must not assume the
    message is the only chance: a complaint left `submitted` is swept up again.

complaint_reopened(sender=Complaint, complaint=Complaint, actor_label=str)
    Sent inside the reopening transaction, with the complaint row locked, so a
    receiver can hand the order back to its unit atomically with the reopen.

handling_facts_provider(complaint_ids: list[int]) -> dict[int, HandlingFacts]
    Who is handling each complaint and by when it is due, for doors that show a
    complaint to the public (Open311's `agency_responsible` and
    `expected_datetime`). Only dispatch knows; it registers a provider that must
    answer for the whole list in one query, so a list of N complaints costs the
    same as one. With no provider registered every complaint has no facts.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.dispatch import Signal

complaint_submitted = Signal()
complaint_reopened = Signal()


@dataclass(frozen=True)
class HandlingFacts:
    # The name of the unit working the order now, else of the unit that resolved it.
    agency: str
    # When that unit is due to resolve it.
    expected: datetime | None


class HandlingFactsProvider:
    """A registry with one slot: dispatch fills it, public doors ask it."""

    def __init__(self):
        self._provider: Callable[[list[int]], dict[int, HandlingFacts]] | None = None

    def register(self, provider: Callable[[list[int]], dict[int, HandlingFacts]]) -> None:
        self._provider = provider

    def __call__(self, complaint_ids: list[int]) -> dict[int, HandlingFacts]:
        if self._provider is None or not complaint_ids:
            return {}
        return self._provider(list(complaint_ids))


handling_facts_provider = HandlingFactsProvider()
