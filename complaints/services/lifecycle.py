"""The complaint state machine: the only place a complaint's status changes."""

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import notices
from complaints.models import Complaint, ComplaintEvent, ComplaintStatus, EventKind
from complaints.timeline.actors import actor_data
from complaints.timeline.facts import FACTS, resident_sees
from portal.errors import ActionRefused, ChangedBySomeoneElse, NotFound

S = ComplaintStatus

TRANSITIONS: dict[str, frozenset[str]] = {
    # Closed straight from submitted only by a consultation answered on the call.
    S.SUBMITTED: frozenset({S.ASSIGNED, S.REJECTED, S.MERGED, S.CLOSED}),
    S.ASSIGNED: frozenset({S.ACCEPTED, S.ASSIGNED, S.RETURNED, S.REJECTED, S.MERGED}),
    S.ACCEPTED: frozenset({S.IN_PROGRESS, S.ASSIGNED}),
    S.IN_PROGRESS: frozenset({S.RESOLVED, S.ASSIGNED}),
    S.RESOLVED: frozenset({S.CLOSED, S.REOPENED}),
    S.REOPENED: frozenset({S.ASSIGNED}),
    S.RETURNED: frozenset({S.ASSIGNED, S.REJECTED, S.MERGED}),
    S.CLOSED: frozenset(),
    S.REJECTED: frozenset(),
    # Undoing a merge: the order starts over at the 12345 centre (see complaint_unmerge).
    S.MERGED: frozenset({S.SUBMITTED}),
}


def can_move(*, status: str, to: str) -> bool:
    return to in TRANSITIONS[status]


def complaint_lock(*, complaint_id: int) -> Complaint:
    """The complaint row, locked for the rest of the caller's transaction."""
    try:
        return Complaint.objects.select_for_update().get(pk=complaint_id)
    except Complaint.DoesNotExist as exc:
        raise NotFound from exc


def complaint_move(
    *,
    complaint: Complaint,
    to: str,
    event: str,
    actor=None,
    actor_label: str = "",
    message: str = "",
    is_public: bool | None = None,
    data: dict | None = None,
    expected_version: int | None = None,
    fact: str = "",
    by: str | int | None = None,
) -> ComplaintEvent:
    """Move a locked complaint to `to` and record the event. Refuses a move the state
    machine does not allow, and a move based on a stale version."""
    if expected_version is not None and expected_version != complaint.version:
        raise ChangedBySomeoneElse()
    if not can_move(status=complaint.status, to=to):
        raise ActionRefused(
            _("A complaint that is “%(status)s” cannot become “%(to)s”.")
            % {"status": complaint.get_status_display(), "to": S(to).label}
        )
    now = timezone.now()
    complaint.status = to
    complaint.version += 1
    fields = ["status", "version", "updated_at"]
    if to == S.RESOLVED:
        complaint.resolved_at = now
        fields.append("resolved_at")
    elif to == S.CLOSED:
        complaint.closed_at = now
        fields.append("closed_at")
    elif to == S.REOPENED:
        complaint.reopen_count += 1
        complaint.resolved_at = None
        fields += ["reopen_count", "resolved_at"]
    complaint.save(update_fields=fields)
    return complaint_record(
        complaint=complaint,
        kind=event,
        actor=actor,
        actor_label=actor_label,
        message=message,
        is_public=is_public,
        data=data,
        fact=fact,
        by=by,
    )


def complaint_record(
    *,
    complaint: Complaint,
    kind: str,
    actor=None,
    actor_label: str = "",
    message: str = "",
    is_public: bool | None = None,
    data: dict | None = None,
    fact: str = "",
    by: str | int | None = None,
) -> ComplaintEvent:
    """A timeline line that does not change the state (a note, a hand-down).

    The event stores `fact` (a name in complaints.timeline.facts), who acted
    (`by`: a role or a unit id) and the fact's parameters in `data`; `message` is
    only ever text a person typed. The sentence is rendered when read. Whether
    the resident sees it follows the fact unless `is_public` says otherwise (a
    summoned unit's report the unit chose to publish)."""
    _fact_check(fact=fact, kind=kind)
    event = ComplaintEvent.objects.create(
        complaint=complaint,
        kind=kind,
        actor=actor,
        actor_label=actor_label,
        message=message,
        is_public=(resident_sees(fact) if fact else True) if is_public is None else is_public,
        data={**(data or {}), **({"fact": fact} if fact else {}), **actor_data(by)},
    )
    notices.event_recorded(event=event)
    return event


def _fact_check(*, fact: str, kind: str) -> None:
    if fact:
        if fact not in FACTS:
            raise ValueError(f"unknown timeline fact {fact!r}")
        if FACTS[fact].kind != kind:
            raise ValueError(f"fact {fact!r} is not an event of kind {kind!r}")


# Moves that set a date of their own (resolved_at, closed_at, reopen_count) go one by one.
_MOVES_WITH_DATES = frozenset({S.RESOLVED, S.CLOSED, S.REOPENED})


def complaints_move_many(
    *, complaints: list[Complaint], to: str, event: str, fact: str, by: str | int | None = None, data=None
) -> list[ComplaintEvent]:
    """`complaint_move` for many locked complaints at once, in one UPDATE and one
    INSERT of events (the routing worker assigns a batch this way). `data` maps a
    complaint's pk to its event's parameters. Refuses the whole lot when one of
    them cannot make the move."""
    if to in _MOVES_WITH_DATES:
        raise ValueError(f"a move to {to!r} sets dates of its own: use complaint_move")
    for complaint in complaints:
        if not can_move(status=complaint.status, to=to):
            raise ActionRefused(
                _("A complaint that is “%(status)s” cannot become “%(to)s”.")
                % {"status": complaint.get_status_display(), "to": S(to).label}
            )
    if not complaints:
        return []
    now = timezone.now()
    Complaint.objects.filter(pk__in=[c.pk for c in complaints]).update(
        status=to, version=F("version") + 1, updated_at=now
    )
    for complaint in complaints:
        complaint.status, complaint.version, complaint.updated_at = to, complaint.version + 1, now
    return complaint_record_many(complaints=complaints, kind=event, fact=fact, by=by, data=data)


def complaint_record_many(
    *, complaints: list[Complaint], kind: str, fact: str, by: str | int | None = None, data=None
) -> list[ComplaintEvent]:
    """`complaint_record` of one fact for many complaints: one INSERT of events and
    one of resident notices, whatever their number. `data` maps a complaint's pk
    to its event's parameters."""
    if not fact:
        raise ValueError("events written in bulk name their fact")
    _fact_check(fact=fact, kind=kind)
    data = data or {}
    events = [
        ComplaintEvent(
            complaint=complaint,
            kind=kind,
            is_public=resident_sees(fact),
            data={**data.get(complaint.pk, {}), "fact": fact, **actor_data(by)},
        )
        for complaint in complaints
    ]
    ComplaintEvent.objects.bulk_create(events)
    notices.events_recorded(events=events)
    return events


__all__ = [
    "TRANSITIONS",
    "EventKind",
    "can_move",
    "complaint_lock",
    "complaint_move",
    "complaint_record",
    "complaint_record_many",
    "complaints_move_many",
]
