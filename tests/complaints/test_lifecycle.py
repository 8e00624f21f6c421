"""The complaint state machine: every legal move works and records an event; every
other move is refused and changes nothing."""

import itertools

import pytest

from complaints.models import ComplaintStatus, EventKind
from complaints.services import complaint_move
from complaints.services.lifecycle import TRANSITIONS
from portal.errors import ActionRefused, ChangedBySomeoneElse
from tests.factories import ComplaintFactory

S = ComplaintStatus
LEGAL = sorted((src, dst) for src, targets in TRANSITIONS.items() for dst in targets)
ILLEGAL = [(src, dst) for src, dst in itertools.product(S.values, S.values) if dst not in TRANSITIONS[src]]


@pytest.fixture
def complaint_in(beijing, categories):
    def _make(status):
        return ComplaintFactory(category=categories["noise_construction"], region=beijing["duofuxiang"], status=status)

    return _make


def test_every_status_has_an_entry_in_the_transition_table():
    assert set(TRANSITIONS) == set(S.values)


def test_terminal_states_have_no_way_out_but_an_undone_merge():
    assert TRANSITIONS[S.CLOSED] == TRANSITIONS[S.REJECTED] == frozenset()
    assert TRANSITIONS[S.MERGED] == frozenset({S.SUBMITTED})  # the dispatcher undoes a merge


@pytest.mark.parametrize(("src", "dst"), LEGAL)
def test_legal_move_changes_status_bumps_version_and_records_event(complaint_in, src, dst):
    complaint = complaint_in(src)
    event = complaint_move(complaint=complaint, to=dst, event=EventKind.NOTE, message="why")
    complaint.refresh_from_db()
    assert complaint.status == dst
    assert complaint.version == 2
    assert event.complaint_id == complaint.pk and event.message == "why"


@pytest.mark.parametrize(("src", "dst"), ILLEGAL)
def test_illegal_move_is_refused_and_changes_nothing(complaint_in, src, dst):
    complaint = complaint_in(src)
    with pytest.raises(ActionRefused):
        complaint_move(complaint=complaint, to=dst, event=EventKind.NOTE)
    complaint.refresh_from_db()
    assert (complaint.status, complaint.version) == (src, 1)
    assert complaint.events.count() == 0


def test_stale_version_is_refused(complaint_in):
    complaint = complaint_in(S.ASSIGNED)
    with pytest.raises(ChangedBySomeoneElse):
        complaint_move(complaint=complaint, to=S.ACCEPTED, event=EventKind.ACCEPTED, expected_version=7)
    complaint.refresh_from_db()
    assert complaint.status == S.ASSIGNED


def test_resolving_stamps_resolved_at_and_reopening_clears_it_and_counts(complaint_in):
    complaint = complaint_in(S.IN_PROGRESS)
    complaint_move(complaint=complaint, to=S.RESOLVED, event=EventKind.RESOLVED)
    assert complaint.resolved_at is not None
    complaint_move(complaint=complaint, to=S.REOPENED, event=EventKind.REOPENED)
    complaint.refresh_from_db()
    assert complaint.resolved_at is None
    assert complaint.reopen_count == 1


def test_closing_stamps_closed_at(complaint_in):
    complaint = complaint_in(S.RESOLVED)
    complaint_move(complaint=complaint, to=S.CLOSED, event=EventKind.CLOSED)
    complaint.refresh_from_db()
    assert complaint.closed_at is not None


def test_an_event_stores_the_fact_and_is_read_in_the_readers_language(submit, people, units):
    from django.utils import translation

    from complaints.timeline import STAFF, event_text
    from dispatch.services.assignments import assignment_accept

    complaint = submit()
    with translation.override("en"):
        assignment_accept(user=people["donghuamen_handler"], assignment_id=complaint.assignments.get().pk)
    event = complaint.events.get(kind=EventKind.ACCEPTED)
    donghuamen = units["donghuamen"]
    assert event.data == {"fact": "accepted", "unit": donghuamen.pk, "by_unit": donghuamen.pk}
    assert event.message == "" and event.actor_label == ""
    with translation.override("zh-hans"):
        assert event_text(event, audience=STAFF) == "东华门街道办事处 已签收工单。"
    with translation.override("en"):
        # The unit keeps its own name in every language.
        assert event_text(event, audience=STAFF) == "东华门街道办事处 has signed for the order."
