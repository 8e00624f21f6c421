"""The hook complaints asks and dispatch answers: who handles each order and by
when, for a whole page in one query."""

from complaints.hooks import handling_facts_provider
from complaints.services import complaint_rate
from dispatch.models import AssignmentStatus
from dispatch.services.assignments import assignment_accept, assignment_record_contact, assignment_resolve


def resolve(complaint, handler):
    assignment = complaint.assignments.get(status=AssignmentStatus.ASSIGNED)
    assignment_accept(user=handler, assignment_id=assignment.pk)
    assignment_record_contact(user=handler, assignment_id=assignment.pk, note="已电话联系")
    assignment_resolve(user=handler, assignment_id=assignment.pk, reply="已处理")
    return assignment


def test_dispatch_answers_for_a_whole_list_in_one_query(submit, people, django_assert_num_queries):
    complaints = [submit() for _ in range(5)] + [submit(category="other_misc")]

    with django_assert_num_queries(1):
        facts = handling_facts_provider([c.pk for c in complaints])

    assert {facts[c.pk].agency for c in complaints[:5]} == {"东华门街道办事处"}
    assert complaints[5].pk not in facts  # in triage: no unit holds it
    assert facts[complaints[0].pk].expected == complaints[0].assignments.get().resolve_due


def test_a_resolved_order_keeps_the_unit_that_resolved_it(submit, people):
    complaint = submit()
    assignment = resolve(complaint, people["donghuamen_handler"])

    facts = handling_facts_provider([complaint.pk])

    assert (facts[complaint.pk].agency, facts[complaint.pk].expected) == ("东华门街道办事处", assignment.resolve_due)


def test_a_reopened_order_shows_its_new_live_assignment(submit, people):
    complaint = submit()
    first = resolve(complaint, people["donghuamen_handler"])
    complaint_rate(complaint_id=complaint.pk, solved=False, satisfaction="unsatisfied")

    live = complaint.assignments.get(status=AssignmentStatus.ASSIGNED)
    facts = handling_facts_provider([complaint.pk])

    assert live.pk != first.pk
    assert facts[complaint.pk].expected == live.resolve_due


def test_no_ids_ask_nothing(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert handling_facts_provider([]) == {}
