"""On a Redis broker filings share one routing trigger: a flag in the broker's Redis
says a trigger is queued and has not read yet, so a filing that finds it set sends
nothing; the trigger clears the flag before it reads and routes everything waiting.
A broker that is down keeps each complaint in the routing backlog, whose drain then
sends one trigger for all of them. Here the flag lives in a dict and a sent trigger
is recorded, not run, so each test decides when the worker takes it."""

import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
import redis
from kombu.exceptions import OperationalError

from complaints.models import Complaint, ComplaintStatus
from dispatch.models import Assignment, AssignmentRole, UnsentRouting
from dispatch.services import routing_backlog, routing_batch
from dispatch.services.routing_backlog import TRIGGER_KEY, routing_backlog_drain
from dispatch.services.routing_batch import complaints_route_waiting
from dispatch.tasks import route_complaint, route_waiting, sweep_unrouted
from tests.factories import ComplaintFactory

pytestmark = pytest.mark.django_db


class DictFlags:
    """The two Redis commands the trigger uses, on a dict; `down` fails them as a
    stopped Redis does."""

    def __init__(self):
        self.values: dict = {}
        self.down = False

    def set(self, key, value, nx=False, ex=None):
        if self.down:
            raise redis.ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        if nx and key in self.values:
            return None
        self.values[key] = value
        return True

    def delete(self, key):
        if self.down:
            raise redis.ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        return int(self.values.pop(key, None) is not None)


@pytest.fixture
def broker(monkeypatch):
    """A Redis broker as the trigger sees it: `flags`, the triggers `sent` (queued,
    not run), `down` for the whole broker and `refuse_publish` for the queue alone."""
    state = SimpleNamespace(flags=DictFlags(), sent=0, refuse_publish=False, kwargs=[])

    def publish(args=None, kwargs=None, **options):
        assert options.get("retry") is False, "a publish on the request path must not retry"
        if state.flags.down or state.refuse_publish:
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        state.sent += 1
        state.kwargs.append(kwargs or {})

    def no_single_messages(*args, **kwargs):
        raise AssertionError("a Redis broker shares triggers: no message per complaint")

    monkeypatch.setattr(routing_backlog, "_trigger_flags", lambda: state.flags)
    monkeypatch.setattr(route_waiting, "apply_async", publish)
    monkeypatch.setattr(route_complaint, "apply_async", no_single_messages)
    return state


def _routed(complaints) -> list[int]:
    return sorted(
        Assignment.objects.filter(
            complaint_id__in=[c.pk for c in complaints], role=AssignmentRole.LEAD, status="assigned"
        ).values_list("complaint_id", flat=True)
    )


def test_filings_share_one_trigger_which_routes_them_all(submit, broker):
    filed = [submit(resident_phone=f"1391234567{n}") for n in range(3)]

    assert broker.sent == 1
    assert {c.status for c in filed} == {ComplaintStatus.SUBMITTED}

    assert complaints_route_waiting(gather=0) == 3
    assert _routed(filed) == sorted(c.pk for c in filed)
    assert TRIGGER_KEY not in broker.flags.values
    # The next filing finds no trigger queued: it sends its own.
    submit(resident_phone="13912345679")
    assert broker.sent == 2


def test_a_filings_trigger_reads_the_recent_past_and_leaves_older_waiting_to_the_sweep(submit, broker):
    older = submit(resident_phone="13912345670")
    Complaint.objects.filter(pk=older.pk).update(submitted_at=older.submitted_at - timedelta(hours=2))
    routing_batch.complaints_route_waiting(gather=0, since=time.time() - 60)  # its own trigger, long gone
    assert _routed([older]) == []

    filed = submit(resident_phone="13912345671")
    (trigger,) = broker.kwargs[-1:]
    assert time.time() - 301 < trigger["since"] < time.time() - 299
    assert complaints_route_waiting(gather=0, **trigger) == 1
    assert _routed([older, filed]) == [filed.pk]

    # The complaint older than the bound (its trigger lost) is the unrouted sweep's.
    assert sweep_unrouted() == 1
    assert _routed([older, filed]) == sorted([older.pk, filed.pk])


def test_the_trigger_clears_the_flag_before_it_reads(submit, broker, monkeypatch):
    filed = submit()
    flag_at_read = []
    real_waiting = routing_batch._waiting

    def waiting():
        flag_at_read.append(TRIGGER_KEY in broker.flags.values)
        return real_waiting()

    monkeypatch.setattr(routing_batch, "_waiting", waiting)
    complaints_route_waiting(gather=0)

    # A filing that finds the flag set committed before this read, so the read sees it.
    assert flag_at_read == [False]
    assert _routed([filed]) == [filed.pk]


def test_a_trigger_that_cannot_be_queued_clears_the_flag_and_keeps_the_complaint(submit, broker):
    broker.refuse_publish = True
    kept = submit()
    assert UnsentRouting.objects.filter(complaint=kept).exists()
    assert TRIGGER_KEY not in broker.flags.values  # the next filing tries again at once

    broker.refuse_publish = False
    submit(resident_phone="13912345679")
    assert broker.sent == 1


def test_with_redis_down_each_filing_is_kept_and_the_drain_sends_one_trigger_for_all(submit, broker):
    broker.flags.down = True
    kept = [submit(resident_phone=f"1391234567{n}") for n in range(3)]
    assert UnsentRouting.objects.count() == 3
    assert routing_backlog_drain() == 0  # still down: kept

    broker.flags.down = False
    assert routing_backlog_drain() == 3
    assert broker.sent == 1
    assert not UnsentRouting.objects.exists()
    # However long the outage lasted, the drain's trigger reads every complaint waiting.
    assert broker.kwargs == [{"since": None}]
    assert complaints_route_waiting(gather=0, **broker.kwargs[0]) == 3
    assert _routed(kept) == sorted(c.pk for c in kept)


@pytest.fixture
def waiting(beijing, categories, rules, units):
    """`n` complaints filed and not announced, a second apart, oldest first."""

    def _file(n):
        made = []
        for k in range(n):
            complaint = ComplaintFactory(category=categories["noise_construction"], region=beijing["duofuxiang"])
            Complaint.objects.filter(pk=complaint.pk).update(submitted_at=complaint.submitted_at + timedelta(seconds=k))
            made.append(complaint)
        return made

    return _file


def test_a_trigger_routes_up_to_its_limit_and_sends_the_next_for_the_rest(waiting, broker, settings):
    settings.WHISTLE_ROUTE_BATCH = 2
    filed = waiting(5)

    since = time.time() - 3600
    assert complaints_route_waiting(limit=4, gather=0, since=since) == 4
    assert _routed(filed) == sorted(c.pk for c in filed[:4])
    assert broker.sent == 1
    assert broker.kwargs == [{"since": since}]  # the next trigger reads from where this one did

    assert complaints_route_waiting(limit=4, gather=0) == 1
    assert _routed(filed) == sorted(c.pk for c in filed)
    assert broker.sent == 1  # nothing more waited


def test_a_complaint_that_cannot_be_routed_holds_back_no_other(waiting, broker, settings, monkeypatch):
    settings.WHISTLE_ROUTE_BATCH = 2
    filed = waiting(5)
    broken = filed[1].pk
    real_claimed = routing_batch._route_claimed
    real_route = routing_batch.complaint_route

    def claimed(*, complaints):
        if any(c.pk == broken for c in complaints):
            raise RuntimeError("this complaint's data is broken")
        return real_claimed(complaints=complaints)

    def route(*, complaint_id):
        if complaint_id == broken:
            raise RuntimeError("this complaint's data is broken")
        return real_route(complaint_id=complaint_id)

    monkeypatch.setattr(routing_batch, "_route_claimed", claimed)
    monkeypatch.setattr(routing_batch, "complaint_route", route)

    assert complaints_route_waiting(gather=0) == 4
    assert _routed(filed) == sorted(c.pk for c in filed if c.pk != broken)
    # Left for the unrouted sweep, which tries again (and logs) every run.
    assert Complaint.objects.get(pk=broken).status == ComplaintStatus.SUBMITTED
