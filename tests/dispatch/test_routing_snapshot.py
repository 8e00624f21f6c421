"""Routing reads the rules and their units from the process's snapshot: a second call
costs no query, a write of a rule, a unit, a category or a place is seen at once, the
bulk writes (the unit seed, a unit moved in the tree) too, and the winners are the
ones the queries gave."""

import itertools

import pytest
from django.db.models import F, Q
from django.forms.models import model_to_dict

from complaints.models import Category, Complaint, Region, RegionLevel
from dispatch.models import DepartmentKind, RoutingRule, TargetKind, Unit, UnitKind
from dispatch.services.routing import route, routes_for
from dispatch.services.routing_snapshot import routing_snapshot, routing_snapshot_forget
from dispatch.services.seed import units_seed
from dispatch.services.unit_tree import unit_save_in_tree
from tests.factories import RegionFactory, RoutingRuleFactory, UnitFactory

PLACES = ("city", "dongcheng", "donghuamen", "jingshan", "jianwai", "duofuxiang", "yinzha", "longfusi", "odd")
CATEGORIES = ("noise", "noise_construction", "noise_neighbour", "market_food", "water_outage", "other_misc")


def unsaved(categories, beijing, category, region, pk=None):
    return Complaint(pk=pk, category=categories[category], region=beijing[region])


@pytest.fixture
def crowded(categories, beijing, rules, units):
    """Rules that compete: deeper regions, priorities, ties broken by age, an inactive
    rule, a fixed unit that is inactive, a region code that is no place's prefix, and a
    street with no office (东华门 has one, 景山's is closed)."""
    # 110101001001 (多福巷) starts with it, yet it is no prefix a place is matched at.
    beijing["odd"] = RegionFactory(
        code="1101010", name="不是地方", level=RegionLevel.STREET, parent=beijing["dongcheng"]
    )
    closed = UnitFactory(code="u-closed", kind=UnitKind.UTILITY, department_kind=DepartmentKind.GAS, is_active=False)
    units["jingshan"].is_active = False
    units["jingshan"].save(update_fields=["is_active"])
    fixed = {"target_kind": TargetKind.FIXED}
    RoutingRuleFactory(
        category=categories["noise"], region=beijing["dongcheng"], target_unit=units["dc_market"], **fixed
    )
    RoutingRuleFactory(category=categories["noise"], region=beijing["jingshan"], target_kind=TargetKind.STREET_OFFICE)
    RoutingRuleFactory(category=categories["noise_neighbour"], target_unit=closed, priority=50, **fixed)
    RoutingRuleFactory(category=categories["noise_neighbour"], target_unit=units["cy_market"], priority=10, **fixed)
    RoutingRuleFactory(category=categories["noise_neighbour"], target_unit=units["water"], priority=10, **fixed)
    RoutingRuleFactory(category=categories["market_food"], target_unit=units["water"], is_active=False, **fixed)
    RoutingRuleFactory(
        category=categories["water_outage"], region=beijing["odd"], target_unit=units["cy_market"], **fixed
    )
    RoutingRuleFactory(region=beijing["donghuamen"], target_kind=TargetKind.STREET_OFFICE)
    RoutingRuleFactory(
        region=beijing["chaoyang"], target_kind=TargetKind.DISTRICT_DEPARTMENT, department_kind=DepartmentKind.HEALTH
    )
    RoutingRuleFactory(region=beijing["jianwai"], target_unit=units["centre"], priority=-5, **fixed)
    return beijing


def _routes_by_query(*, complaints, exclude=None):
    """routes_for as it was, three queries a call: the reference the snapshot must agree with."""
    exclude = exclude or {}
    category_codes = {code for c in complaints for code in c.category.ancestor_codes()}
    region_codes = {c.region.code[:n] for c in complaints for n in (2, 6, 9, 12) if n <= len(c.region.code)}
    rules = sorted(
        RoutingRule.objects.filter(
            Q(category__isnull=True) | Q(category__code__in=category_codes),
            Q(region__isnull=True) | Q(region__code__in=region_codes),
            is_active=True,
        ).select_related("category", "region", "target_unit"),
        key=lambda r: (
            r.category.depth if r.category_id else 0,
            len(r.region.code) if r.region_id else 0,
            r.priority,
            -r.pk,
        ),
        reverse=True,
    )
    street_codes = {c.region.street_code for c in complaints} - {None}
    district_codes = {c.region.district_code for c in complaints} - {None}
    streets, departments = {}, {}
    for unit in Unit.objects.filter(
        kind=UnitKind.STREET_OFFICE, region__code__in=street_codes, is_active=True
    ).annotate(street=F("region__code")):
        streets.setdefault(unit.street, unit)
    for unit in Unit.objects.filter(
        kind=UnitKind.DEPARTMENT, parent__region__code__in=district_codes, is_active=True
    ).annotate(district=F("parent__region__code")):
        departments.setdefault((unit.district, unit.department_kind), unit)

    def target(rule, region):
        if rule.target_kind == TargetKind.FIXED:
            return rule.target_unit if rule.target_unit.is_active else None
        if rule.target_kind == TargetKind.STREET_OFFICE and region.street_code:
            return streets.get(region.street_code)
        if rule.target_kind == TargetKind.DISTRICT_DEPARTMENT and region.district_code:
            return departments.get((region.district_code, rule.department_kind))
        return None

    result = {}
    for complaint in complaints:
        ancestors = set(complaint.category.ancestor_codes())
        result[complaint.pk] = (None, None)
        for rule in rules:
            if rule.category_id and rule.category.code not in ancestors:
                continue
            if rule.region_id and not complaint.region.code.startswith(rule.region.code):
                continue
            unit = target(rule, complaint.region)
            if unit is not None and unit.pk not in exclude.get(complaint.pk, ()):
                result[complaint.pk] = (rule, unit)
                break
    return result


def _pks(routes):
    return {pk: (rule and rule.pk, unit and unit.pk) for pk, (rule, unit) in routes.items()}


def _matrix(categories, places):
    pairs = itertools.product(CATEGORIES, PLACES)
    return [unsaved(categories, places, category, place, pk=n) for n, (category, place) in enumerate(pairs, 1)]


def test_the_snapshot_picks_the_winners_the_queries_picked(categories, crowded):
    complaints = _matrix(categories, crowded)
    expected = _routes_by_query(complaints=complaints)

    assert _pks(routes_for(complaints=complaints)) == _pks(expected)
    winners = {rule for rule, _unit in _pks(expected).values()}
    assert None in winners and len(winners) >= 6  # most rules win somewhere; some orders go to triage


def test_excluded_units_fall_through_to_the_next_rule_as_they_did(categories, crowded):
    complaints = _matrix(categories, crowded)
    first = _pks(_routes_by_query(complaints=complaints))
    # Leave out each complaint's winner, then its first two.
    once = {pk: frozenset({unit}) for pk, (_rule, unit) in first.items() if unit}
    second = _pks(_routes_by_query(complaints=complaints, exclude=once))
    twice = {pk: once[pk] | {unit} for pk, (_rule, unit) in second.items() if unit and pk in once}

    for exclude in (once, twice):
        assert _pks(routes_for(complaints=complaints, exclude=exclude)) == _pks(
            _routes_by_query(complaints=complaints, exclude=exclude)
        )


def test_a_second_call_reads_nothing(categories, crowded, django_assert_num_queries):
    complaints = _matrix(categories, crowded)
    routes_for(complaints=complaints)

    with django_assert_num_queries(0):
        routes_for(complaints=complaints)
        route(complaint=complaints[0])


def test_each_call_gets_its_own_instances_with_what_callers_read(categories, beijing, rules, units):
    complaint = unsaved(categories, beijing, "water_outage", "jianwai")
    (rule, unit), (again, again_unit) = route(complaint=complaint), route(complaint=complaint)

    assert (rule, unit) == (rules["water"], units["water"])
    assert rule is not again and unit is not again_unit
    stored = Unit.objects.get(pk=unit.pk)
    assert model_to_dict(unit) == model_to_dict(stored)
    assert (unit.code, unit.name, unit.kind, unit.is_active, unit.path) == (
        stored.code,
        stored.name,
        stored.kind,
        True,
        stored.path,
    )
    assert model_to_dict(rule) == model_to_dict(RoutingRule.objects.get(pk=rule.pk))
    assert rule.target_unit is unit  # attached, as select_related did
    assert unit._state.adding is False and unit._state.db == "default"


def test_a_new_rule_is_seen_at_once(categories, beijing, rules, units):
    complaint = unsaved(categories, beijing, "other_misc", "duofuxiang")
    assert route(complaint=complaint) == (None, None)

    rule = RoutingRuleFactory(category=categories["other"], target_kind=TargetKind.STREET_OFFICE)

    assert route(complaint=complaint) == (rule, units["donghuamen"])


def test_a_changed_or_deactivated_rule_is_seen_at_once(categories, beijing, rules, units):
    complaint = unsaved(categories, beijing, "noise_construction", "duofuxiang")
    noise = rules["noise"]
    assert route(complaint=complaint) == (noise, units["donghuamen"])

    noise.target_kind, noise.target_unit = TargetKind.FIXED, units["water"]
    noise.save(update_fields=["target_kind", "target_unit"])
    assert route(complaint=complaint)[1] == units["water"]

    noise.is_active = False
    noise.save(update_fields=["is_active"])
    assert route(complaint=complaint) == (None, None)

    noise.delete()
    assert route(complaint=complaint) == (None, None)


def test_a_deactivated_or_renamed_unit_is_seen_at_once(categories, beijing, rules, units):
    complaint = unsaved(categories, beijing, "water_outage", "jianwai")
    water = units["water"]
    route(complaint=complaint)

    water.name = "北京自来水"
    water.save(update_fields=["name"])
    assert route(complaint=complaint)[1].name == "北京自来水"

    water.is_active = False
    water.save(update_fields=["is_active"])
    assert route(complaint=complaint) == (None, None)


def test_a_new_street_office_is_seen_at_once(categories, beijing, rules, units):
    complaint = unsaved(categories, beijing, "noise", "longfusi")
    Unit.objects.filter(pk=units["jingshan"].pk).delete()
    assert route(complaint=complaint) == (None, None)

    office = UnitFactory(
        code="s-new", kind=UnitKind.STREET_OFFICE, parent=units["dongcheng"], region=beijing["jingshan"]
    )

    assert route(complaint=complaint)[1] == office


def test_a_rules_category_or_place_recoded_is_seen_at_once(categories, beijing, rules, units):
    """A rule names its category and region by code: their edits drop the snapshot too."""
    complaint = unsaved(categories, beijing, "market_food", "jianwai")
    rule = RoutingRuleFactory(
        category=categories["market_food"],
        region=beijing["dongcheng"],
        target_kind=TargetKind.FIXED,
        target_unit=units["water"],
    )
    assert route(complaint=complaint)[1] == units["cy_market"]

    # 朝阳 gives its code to 东城: the rule's region, and the district of 东城's market regulator.
    for old, new in (("110105", "110199"), ("110101", "110105")):
        region = Region.objects.get(code=old)
        region.code = new
        region.save(update_fields=["code"])
    assert route(complaint=complaint) == (rule, units["water"])

    category = Category.objects.get(pk=categories["market_food"].pk)
    category.code = "market.drugs"
    category.save(update_fields=["code"])
    assert route(complaint=complaint) == (rules["market"], units["dc_market"])
    assert _pks(routes_for(complaints=[complaint])) == _pks(_routes_by_query(complaints=[complaint]))


def test_a_unit_moved_in_the_tree_is_seen_with_its_new_path(categories, beijing, rules, units):
    complaint = unsaved(categories, beijing, "noise", "duofuxiang")
    assert route(complaint=complaint)[1].path == "bj/d-110101/s-110101001/"

    district = Unit.objects.get(pk=units["dongcheng"].pk)
    district.code = "d-dongcheng"
    unit_save_in_tree(unit=district)

    assert route(complaint=complaint)[1].path == "bj/d-dongcheng/s-110101001/"


def test_the_unit_seed_is_seen_without_a_signal(categories, beijing):
    """The seed writes in bulk: a street office it creates, or a name it puts right, is routed to at once."""
    complaint = unsaved(categories, beijing, "noise", "duofuxiang")
    RoutingRuleFactory(category=categories["noise"], target_kind=TargetKind.STREET_OFFICE)
    assert route(complaint=complaint) == (None, None)  # the rule's street office is not there yet

    units_seed()
    office = route(complaint=complaint)[1]
    assert (office.code, office.name) == ("s-110101001", "东华门街道办事处")

    Unit.objects.filter(pk=office.pk).update(name="错名")
    routing_snapshot_forget()
    assert route(complaint=complaint)[1].name == "错名"
    units_seed()
    assert route(complaint=complaint)[1].name == "东华门街道办事处"


def test_the_snapshot_keeps_rows_not_instances(categories, beijing, rules, units):
    route(complaint=unsaved(categories, beijing, "water_outage", "jianwai"))
    snapshot = routing_snapshot()

    plain = (int, str, bool, type(None))
    assert all(isinstance(value, plain) for row in snapshot.rules for value in row.values)
    assert all(isinstance(value, plain) for row in snapshot.units.values() for value in row)
    assert all(isinstance(pk, int) for pk in [*snapshot.streets.values(), *snapshot.departments.values()])
