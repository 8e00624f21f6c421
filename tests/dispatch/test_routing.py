"""Routing: the most specific rule wins, then priority; relative targets resolve
against the complaint's place; no rule means triage; routing twice is routing once."""

import pytest
from django.utils import translation

from complaints.models import Complaint, ComplaintStatus
from complaints.timeline import RESIDENT, STAFF, event_text
from dispatch.models import Assignment, AssignmentReason, TargetKind, TriageItem, TriageReason
from dispatch.services.routing import complaint_route, route
from dispatch.tasks import sweep_unrouted
from tests.factories import ComplaintFactory, RoutingRuleFactory


def unsaved(categories, beijing, category, region):
    return Complaint(category=categories[category], region=beijing[region])


def test_group_rule_routes_to_the_street_office_of_the_complaints_street(categories, beijing, rules, units):
    rule, unit = route(complaint=unsaved(categories, beijing, "noise_construction", "duofuxiang"))
    assert (rule, unit) == (rules["noise"], units["donghuamen"])
    rule, unit = route(complaint=unsaved(categories, beijing, "noise_neighbour", "longfusi"))
    assert unit == units["jingshan"]


def test_district_department_target_follows_the_complaints_district(categories, beijing, rules, units):
    _, unit = route(complaint=unsaved(categories, beijing, "market_food", "duofuxiang"))
    assert unit == units["dc_market"]
    _, unit = route(complaint=unsaved(categories, beijing, "market_food", "jianwai"))
    assert unit == units["cy_market"]


def test_fixed_target_ignores_the_place(categories, beijing, rules, units):
    _, unit = route(complaint=unsaved(categories, beijing, "water_outage", "jianwai"))
    assert unit == units["water"]


def test_deeper_category_beats_a_deeper_region(categories, beijing, rules, units):
    by_region = RoutingRuleFactory(
        category=categories["noise"],
        region=beijing["donghuamen"],
        target_kind=TargetKind.FIXED,
        target_unit=units["jingshan"],
        priority=100,
    )
    by_category = RoutingRuleFactory(
        category=categories["noise_construction"], target_kind=TargetKind.FIXED, target_unit=units["dc_market"]
    )
    rule, unit = route(complaint=unsaved(categories, beijing, "noise_construction", "duofuxiang"))
    assert (rule, unit) == (by_category, units["dc_market"])
    rule, _ = route(complaint=unsaved(categories, beijing, "noise_neighbour", "duofuxiang"))
    assert rule == by_region


def test_deeper_region_wins_between_rules_of_the_same_category(categories, beijing, rules, units):
    district = RoutingRuleFactory(
        category=categories["noise"],
        region=beijing["dongcheng"],
        target_kind=TargetKind.FIXED,
        target_unit=units["dc_market"],
    )
    street = RoutingRuleFactory(
        category=categories["noise"],
        region=beijing["donghuamen"],
        target_kind=TargetKind.FIXED,
        target_unit=units["jingshan"],
    )
    assert route(complaint=unsaved(categories, beijing, "noise_neighbour", "yinzha"))[0] == street
    assert route(complaint=unsaved(categories, beijing, "noise_neighbour", "longfusi"))[0] == district
    assert route(complaint=unsaved(categories, beijing, "noise_neighbour", "jianwai"))[0] == rules["noise"]


def test_priority_breaks_ties_between_equally_specific_rules(categories, beijing, rules, units):
    low = RoutingRuleFactory(
        category=categories["noise"], target_kind=TargetKind.FIXED, target_unit=units["jingshan"], priority=-5
    )
    high = RoutingRuleFactory(
        category=categories["noise"], target_kind=TargetKind.FIXED, target_unit=units["dc_market"], priority=5
    )
    assert route(complaint=unsaved(categories, beijing, "noise_neighbour", "duofuxiang"))[0] == high
    assert low != high


def test_inactive_rule_is_ignored(categories, beijing, rules, units):
    rules["noise"].is_active = False
    rules["noise"].save(update_fields=["is_active"])
    assert route(complaint=unsaved(categories, beijing, "noise_neighbour", "duofuxiang")) == (None, None)


def test_rule_whose_relative_target_does_not_exist_falls_through_to_the_next(categories, beijing, rules, units):
    # 景山街道's office is deactivated: the street rule cannot fire there, the catch-all can.
    units["jingshan"].is_active = False
    units["jingshan"].save(update_fields=["is_active"])
    catch_all = RoutingRuleFactory(target_kind=TargetKind.FIXED, target_unit=units["dongcheng"], priority=-100)
    assert route(complaint=unsaved(categories, beijing, "noise_neighbour", "longfusi")) == (
        catch_all,
        units["dongcheng"],
    )


def test_no_rule_sends_the_complaint_to_triage(submit):
    complaint = submit(category="other_misc")
    assert complaint.status == ComplaintStatus.SUBMITTED
    item = TriageItem.objects.get(complaint=complaint)
    assert item.reason == TriageReason.NO_RULE and item.closed_at is None
    assert not complaint.assignments.exists()
    assert complaint.events.filter(kind="triaged").count() == 1


def test_routed_assignment_records_the_rule_and_due_times(submit, rules, units, settings):
    complaint = submit()
    assignment = complaint.assignments.get()
    assert assignment.rule == rules["noise"]
    assert assignment.reason == AssignmentReason.ROUTED
    assert assignment.holder == assignment.unit == units["donghuamen"]
    assert assignment.contact_due - assignment.assigned_at == settings.WHISTLE_CONTACT_WITHIN
    assert assignment.resolve_due - assignment.assigned_at == settings.WHISTLE_RESOLVE_WITHIN
    assert assignment.next_due == assignment.contact_due
    event = complaint.events.get(kind="assigned")
    assert event.data["rule_id"] == rules["noise"].pk and event.data["unit"] == units["donghuamen"].pk
    with translation.override("zh-hans"):
        assert event_text(event, audience=RESIDENT) == "已派单至 东华门街道办事处。"
        assert rules["noise"].name in event_text(event, audience=STAFF)


def test_routing_twice_makes_one_assignment(submit):
    complaint = submit()
    assert complaint_route(complaint_id=complaint.pk) == "skipped"
    assert Assignment.objects.filter(complaint=complaint).count() == 1
    assert complaint.events.filter(kind="assigned").count() == 1


def test_routing_a_triaged_complaint_again_does_not_duplicate_the_triage_item(submit):
    complaint = submit(category="other_misc")
    assert complaint_route(complaint_id=complaint.pk) == "in_triage"
    assert TriageItem.objects.filter(complaint=complaint).count() == 1


def test_sweep_reroutes_a_complaint_whose_message_was_lost(beijing, categories, rules, units, settings):
    complaint = ComplaintFactory(category=categories["noise_construction"], region=beijing["duofuxiang"])
    Complaint.objects.filter(pk=complaint.pk).update(
        submitted_at=complaint.submitted_at - settings.WHISTLE_REROUTE_AFTER * 2
    )
    assert sweep_unrouted() == 1
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ASSIGNED
    assert complaint.assignments.get().unit == units["donghuamen"]


def test_sweep_leaves_fresh_and_triaged_complaints_alone(beijing, categories, rules, settings, submit):
    ComplaintFactory(category=categories["noise_construction"], region=beijing["duofuxiang"])
    triaged = submit(category="other_misc")
    Complaint.objects.filter(pk=triaged.pk).update(
        submitted_at=triaged.submitted_at - settings.WHISTLE_REROUTE_AFTER * 2
    )
    assert sweep_unrouted() == 0


@pytest.mark.parametrize("region", ["city", "dongcheng"])
def test_rule_on_a_complaint_without_a_street_cannot_target_a_street_office(categories, beijing, rules, region):
    assert route(complaint=unsaved(categories, beijing, "noise_neighbour", region)) == (None, None)
