"""Routing in batches. A `route_waiting` trigger (dispatch.services.routing_backlog)
routes every complaint that waits; one complaint's own routing message routes it
and the complaints filed after it that still wait, and their own messages then
find them routed and do nothing. Each batch is one transaction with a fixed number of statements: claim
the rows (FOR UPDATE SKIP LOCKED, so two workers never wait on each other or
take the same complaint), choose with `routes_for`, then write the assignments,
triage items, timeline events and resident notices in bulk. The outcome for each
complaint is the one `complaint_route` gives it alone."""

import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from complaints.models import Complaint, ComplaintStatus, EventKind
from complaints.services.lifecycle import complaint_record_many
from complaints.timeline import CENTRE
from dispatch.models import TriageItem, TriageReason, UnsentRouting
from dispatch.services.assignments import complaints_assign_routed
from dispatch.services.routing import complaint_route, routes_for
from dispatch.services.routing_backlog import routing_trigger_send, routing_trigger_taken

log = logging.getLogger(__name__)

# A `route_waiting` trigger routes at most this many batches, then hands over to a new one.
ROUTE_WAITING_BATCHES = 10
# Seconds a trigger lets filings gather behind its flag before it reads: under load
# one batch then holds many complaints, and what a batch costs whatever its size (a
# dozen statements, a commit, a notice task) is shared by all of them instead of
# taking the CPU that intake needs, batch after batch of one or two.
ROUTE_GATHER_SECONDS = 0.1

TRIAGE_FACTS = {
    TriageReason.EMERGENCY: "triage_emergency",
    TriageReason.PLACE_TO_CONFIRM: "triage_place",
    TriageReason.NO_RULE: "triage_no_rule",
}


def complaint_route_with_followers(*, complaint_id: int, limit: int | None = None) -> str:
    """Route a submitted complaint, and in the same transaction up to `limit - 1`
    (settings.WHISTLE_ROUTE_BATCH) complaints filed after it that still wait; their
    rows stay locked until it commits. Returns what happened to this
    one (as `complaint_route`). Safe to run any number of times. Should the batch
    fail (one odd complaint among many), the complaint is routed alone, so a
    neighbour's fault never holds it back; the others keep their own messages."""
    # Most messages of a backlog find their complaint routed by an earlier batch: a
    # plain read says so, where a row lock would cost a commit flushed to disk.
    if not Complaint.objects.filter(pk=complaint_id, status=ComplaintStatus.SUBMITTED).exists():
        return "skipped"
    limit = settings.WHISTLE_ROUTE_BATCH if limit is None else limit
    try:
        with transaction.atomic():
            return _route_with_followers(complaint_id=complaint_id, limit=limit)
    except Exception:
        if limit <= 1:
            raise
        log.exception("routing batch of complaint %s failed; routing it alone", complaint_id)
        return complaint_route(complaint_id=complaint_id)


def _route_with_followers(*, complaint_id: int, limit: int) -> str:
    # The message's own complaint waits for a lock (a concurrent routing of it ends
    # in `skipped`); the others are only taken when free.
    complaint = (
        Complaint.objects.select_for_update(of=("self",)).select_related("category", "region").filter(pk=complaint_id)
    ).first()
    if complaint is None or complaint.status != ComplaintStatus.SUBMITTED:
        return "skipped"
    # Already routed ones are what a backlog's messages mostly find: they claim nothing more.
    followers = []
    if limit > 1:
        followers = list(
            _waiting().filter(submitted_at__gte=complaint.submitted_at).exclude(pk=complaint.pk)[: limit - 1]
        )
    outcomes = _route_claimed(complaints=[complaint, *followers])
    return outcomes[complaint.pk]


def complaints_route_unrouted(*, submitted_before: datetime, limit: int) -> int:
    """Route, oldest first and a batch per transaction, up to `limit` complaints
    filed before `submitted_before` that still wait: their message was lost. Those
    the routing backlog holds are left to it, and those another worker holds
    (their routing is under way) are skipped. Returns how many were routed."""
    waiting = _waiting().filter(submitted_at__lt=submitted_before)
    routed, _more = _route_in_batches(waiting.exclude(pk__in=UnsentRouting.objects.values("complaint_id")), limit=limit)
    return routed


def complaints_route_waiting(
    *, limit: int | None = None, gather: float | None = None, since: float | None = None
) -> int:
    """What a `route_waiting` trigger does: let filings gather for `gather` seconds
    (ROUTE_GATHER_SECONDS), clear the trigger flag, then route every complaint
    waiting, oldest first, a batch per transaction, up to `limit`
    (ROUTE_WAITING_BATCHES batches by default). Should more wait than that,
    another trigger is sent to carry on, so no task holds its message for long.
    `since` (a Unix time) bounds the read to complaints submitted from then on: a
    filing's trigger is about the filings just made, and without a bound every
    claim would walk past every complaint still waiting in triage (also
    `submitted`), however long ago it was filed. None reads them all (the
    backlog drain's trigger, after an outage). Returns how many were routed."""
    if limit is None:
        limit = settings.WHISTLE_ROUTE_BATCH * ROUTE_WAITING_BATCHES
    gather = ROUTE_GATHER_SECONDS if gather is None else gather
    if gather > 0:
        time.sleep(gather)
    # Before the first read: a filing that still finds the flag set committed before now.
    routing_trigger_taken()
    waiting = _waiting()
    if since is not None:
        waiting = waiting.filter(submitted_at__gte=datetime.fromtimestamp(since, tz=UTC))
    routed, more = _route_in_batches(waiting, limit=limit)
    if more:
        try:
            routing_trigger_send(since=since)
        except Exception:
            log.exception("could not send the next routing trigger; the unrouted sweep routes what waits")
    return routed


def _route_in_batches(waiting: QuerySet, *, limit: int) -> tuple[int, bool]:
    """Claim and route batches of `waiting` until it runs dry or `limit` is reached.
    A batch that fails is routed one by one, and a complaint that fails alone is
    not claimed again by this call. Returns how many were claimed and whether the
    last batch was full (more may wait)."""
    done = 0
    failed: set[int] = set()
    while done < limit:
        size = min(settings.WHISTLE_ROUTE_BATCH, limit - done)
        ids: list[int] = []
        try:
            with transaction.atomic():
                claimed = list(waiting.exclude(pk__in=failed)[:size] if failed else waiting[:size])
                ids = [complaint.pk for complaint in claimed]
                _route_claimed(complaints=claimed)
        except Exception:
            log.exception("routing batch of %s complaints failed; routing them one by one", len(ids))
            routed = _route_one_by_one(complaint_ids=ids)
            failed |= set(routed.failed)
            done += len(routed.done)
            if not routed.done:
                return done, False
            continue
        done += len(ids)
        if len(ids) < size:
            return done, False
    return done, True


@dataclass
class _OneByOne:
    done: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def _route_one_by_one(*, complaint_ids: list[int]) -> _OneByOne:
    outcome = _OneByOne()
    for complaint_id in complaint_ids:
        try:
            complaint_route(complaint_id=complaint_id)
            outcome.done.append(complaint_id)
        except Exception:
            log.exception("routing of complaint %s failed; the next sweep tries again", complaint_id)
            outcome.failed.append(complaint_id)
    return outcome


def _waiting() -> QuerySet:
    """Submitted complaints not in triage, oldest first, locked as they are read;
    rows another transaction holds are passed over."""
    in_triage = TriageItem.objects.filter(complaint=OuterRef("pk"), closed_at__isnull=True)
    return (
        Complaint.objects.filter(status=ComplaintStatus.SUBMITTED)
        .exclude(Exists(in_triage))
        .select_related("category", "region")
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("submitted_at")
    )


def _route_claimed(*, complaints: list[Complaint]) -> dict[int, str]:
    """Route locked submitted complaints as `complaint_route` routes each one, in bulk."""
    if not complaints:
        return {}
    # Read again, after the locks: an item opened by a transaction that committed
    # after the claim's snapshot is seen now.
    in_triage = set(
        TriageItem.objects.filter(
            complaint_id__in=[complaint.pk for complaint in complaints], closed_at__isnull=True
        ).values_list("complaint_id", flat=True)
    )
    outcomes = {pk: "in_triage" for pk in in_triage}
    triage: dict[str, list[Complaint]] = {reason: [] for reason in TRIAGE_FACTS}
    candidates = []
    for complaint in complaints:
        if complaint.pk in in_triage:
            continue
        if complaint.emergency_words:
            # A fire or a threat to life is not left to a rule: the centre dispatches it at once.
            triage[TriageReason.EMERGENCY].append(complaint)
        elif complaint.place_to_confirm:
            # Known only to its district: a street office chosen now would be a guess.
            triage[TriageReason.PLACE_TO_CONFIRM].append(complaint)
        else:
            candidates.append(complaint)
    routes = []
    chosen = routes_for(complaints=candidates) if candidates else {}
    for complaint in candidates:
        rule, unit = chosen[complaint.pk]
        if unit is None:
            triage[TriageReason.NO_RULE].append(complaint)
        else:
            routes.append((complaint, unit, rule))
    complaints_assign_routed(routes=routes)
    # Messages kept while the broker was down are no longer needed for these.
    UnsentRouting.objects.filter(complaint_id__in=[complaint.pk for complaint in complaints]).delete()
    outcomes.update({complaint.pk: "assigned" for complaint, _unit, _rule in routes})
    _to_triage(groups=triage)
    outcomes.update({complaint.pk: "triage" for group in triage.values() for complaint in group})
    return outcomes


def _to_triage(*, groups: dict[str, list[Complaint]]) -> None:
    TriageItem.objects.bulk_create(
        [TriageItem(complaint=complaint, reason=reason) for reason, group in groups.items() for complaint in group]
    )
    for reason, group in groups.items():
        if group:
            complaint_record_many(
                complaints=group,
                kind=EventKind.TRIAGED,
                fact=TRIAGE_FACTS[reason],
                by=CENTRE,
                data={complaint.pk: {"reason": reason} for complaint in group},
            )
