"""The timeline stored as facts and rendered for the reader: the facts table, who
sees what, the wording for each audience, and the one query for unit names."""

import pytest
from django.utils import translation

from complaints.models import ComplaintEvent, EventKind, Satisfaction
from complaints.services.lifecycle import complaint_record
from complaints.services.rating import complaint_rate
from complaints.timeline import FACTS, RESIDENT, STAFF, event_text, timeline_lines
from dispatch.services.assignments import assignment_accept, assignment_record_contact, assignment_resolve

# The facts the resident never sees: notes, unit-to-unit messages, requests, internal changes.
INTERNAL_FACTS = {
    "contact_note",
    "note",
    "extension_requested",
    "extension_refused",
    "priority",
    "category",
    "place",
    "whistle_message",
    "whistle_report",
    "merged_lead",
    "unmerged_lead",
    "callback_unanswered",
    "repeat",
}


def test_every_event_kind_has_facts_and_every_fact_a_defined_visibility():
    assert {fact.kind for fact in FACTS.values()} == set(EventKind.values)
    assert {name for name, fact in FACTS.items() if not fact.public} == INTERNAL_FACTS
    for name, fact in FACTS.items():
        assert isinstance(fact.public, bool), name
        assert fact.staff or fact.with_message, name


@pytest.mark.parametrize("name", sorted(FACTS))
def test_a_recorded_fact_is_public_exactly_as_the_table_says(submit, name):
    complaint = submit()
    event = complaint_record(complaint=complaint, kind=FACTS[name].kind, fact=name, by="centre")
    assert event.is_public is (name not in INTERNAL_FACTS)
    resident_lines = timeline_lines([event], audience=RESIDENT)
    assert len(resident_lines) == (0 if name in INTERNAL_FACTS else 1)


def test_a_fact_of_another_kind_or_an_unknown_fact_is_refused(submit):
    complaint = submit()
    count = complaint.events.count()
    with pytest.raises(ValueError):
        complaint_record(complaint=complaint, kind=EventKind.NOTE, fact="accepted")
    with pytest.raises(ValueError):
        complaint_record(complaint=complaint, kind=EventKind.NOTE, fact="no_such_fact")
    assert complaint.events.count() == count


@pytest.fixture
def worked(submit, people):
    """An order signed for, contacted, resolved and rated: every step's event."""
    complaint = submit()
    assignment = complaint.assignments.get()
    handler = people["donghuamen_handler"]
    assignment_accept(user=handler, assignment_id=assignment.pk)
    assignment_record_contact(user=handler, assignment_id=assignment.pk, note="电话联系了张先生，约好下午上门")
    assignment_resolve(user=handler, assignment_id=assignment.pk, reply="已责令施工方夜间停工")
    complaint_rate(complaint_id=complaint.pk, solved=True, satisfaction=Satisfaction.BASICALLY, comment="还行")
    return complaint


def test_the_resident_never_sees_internal_lines_nor_staff_names(worked, people):
    events = list(worked.events.all())
    with translation.override("en"):
        resident = timeline_lines(events, audience=RESIDENT)
        staff = timeline_lines(events, audience=STAFF)
    assert all(line.public for line in resident) and len(resident) < len(staff)
    assert not any("张先生" in line.text for line in resident)  # how the unit reached the resident is internal
    assert any("张先生" in line.text for line in staff)
    username = people["donghuamen_handler"].username
    assert all(line.person == "" for line in resident)
    assert any(line.person == username for line in staff)
    assert not any(username in f"{line.actor} {line.text}" for line in resident)


def test_the_staff_timeline_never_says_has_contacted_you(worked):
    contacted = worked.events.get(kind=EventKind.CONTACTED)
    with translation.override("en"):
        assert event_text(contacted, audience=STAFF) == "东华门街道办事处 has recorded contact with the resident."
        assert event_text(contacted, audience=RESIDENT) == "东华门街道办事处 has contacted you."
    with translation.override("zh-hans"):
        assert "您" not in event_text(contacted, audience=STAFF)


def test_the_rating_shows_solved_and_satisfaction_on_both_timelines(worked):
    rated = worked.events.get(kind=EventKind.RATED)
    assert rated.data == {"fact": "rated", "by": "resident", "solved": True, "satisfaction": "basically"}
    with translation.override("en"):
        for audience in (RESIDENT, STAFF):
            (line,) = timeline_lines([rated], audience=audience)
            assert line.text == "Solved: yes. Satisfaction: Basically satisfied.\n还行"
            assert line.actor == "Resident"


def test_the_same_events_read_in_chinese_and_in_english(worked):
    events = list(worked.events.all())
    with translation.override("zh-hans"):
        chinese = [line.text for line in timeline_lines(events, audience=RESIDENT)]
        actors = [line.actor for line in timeline_lines(events, audience=RESIDENT)]
    with translation.override("en"):
        english = [line.text for line in timeline_lines(events, audience=RESIDENT)]
    assert "已派单至 东华门街道办事处。" in chinese and "Assigned to 东华门街道办事处." in english
    assert "东华门街道办事处 已签收工单。" in chinese
    assert "12345中心" in actors and "市民" in actors
    assert "已责令施工方夜间停工" in chinese and "已责令施工方夜间停工" in english  # typed text stays verbatim


def test_a_unit_renamed_later_is_read_under_its_current_name(worked, units):
    units["donghuamen"].name = "东华门街道"
    units["donghuamen"].save(update_fields=["name"])
    with translation.override("en"):
        texts = [line.text for line in timeline_lines(worked.events.all(), audience=STAFF)]
    assert "东华门街道 has signed for the order." in texts


def test_all_the_units_of_a_timeline_are_named_in_one_query(worked, units, django_assert_num_queries):
    for unit in ("jingshan", "dc_market", "water", "duofuxiang"):
        complaint_record(
            complaint=worked,
            kind=EventKind.HANDED_DOWN,
            fact="handed_down",
            by=units[unit].pk,
            data={"unit": units[unit].pk},
        )
    events = list(worked.events.select_related("actor"))
    with django_assert_num_queries(1):
        lines = timeline_lines(events, audience=STAFF)
    assert len({line.actor for line in lines}) >= 5


def test_a_row_from_before_facts_is_shown_as_it_was_stored(submit):
    complaint = submit()
    legacy = ComplaintEvent.objects.create(
        complaint=complaint, kind=EventKind.NOTE, message="旧的一句话", actor_label="某单位", is_public=True
    )
    with translation.override("en"):
        (line,) = timeline_lines([legacy], audience=RESIDENT)
    assert (line.text, line.actor, line.fact) == ("旧的一句话", "某单位", "legacy")


def test_an_unknown_audience_is_a_programming_error(submit):
    with pytest.raises(ValueError):
        timeline_lines([], audience="everyone")
