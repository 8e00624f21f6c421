"""The seeded deadline policies, how one is chosen for a complaint, and the due
times each kind gives, in clock hours and in working days across holidays."""

import json
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from complaints.models import Category, Priority
from complaints.services.categories import categories_import, categories_load
from dispatch.models import DeadlinePolicy, TimeUnit
from dispatch.services.deadlines import due_times, policy_for
from dispatch.services.seed import policies_seed
from portal.errors import ActionRefused

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=BEIJING)


@pytest.fixture
def policies(categories):
    policies_seed()
    return {policy.name: policy for policy in DeadlinePolicy.objects.select_related("category")}


def _shape(policy):
    return (
        policy.category.code if policy.category_id else None,
        policy.priority,
        policy.contact_within,
        policy.contact_unit,
        policy.resolve_within,
        policy.resolve_unit,
        policy.report_within_minutes,
        policy.warn_share,
        policy.escalate_after_hours,
        policy.is_active,
    )


def test_seed_creates_the_four_default_policies(policies):
    assert {name: _shape(p) for name, p in policies.items()} == {
        "紧急诉求": (None, "urgent", 2, "hours", 24, "hours", 30, Decimal("0.80"), 4, True),
        "水电气热停供": ("utilities", "normal", 2, "hours", 24, "hours", 30, Decimal("0.80"), 4, True),
        "一般诉求": (None, "normal", 24, "hours", 168, "hours", 30, Decimal("0.80"), 24, True),
        "疑难复杂诉求": (None, "complex", 24, "hours", 15, "working_days", 30, Decimal("0.80"), 24, True),
    }


def test_seeding_again_creates_nothing_and_keeps_an_administrators_tuning(policies):
    DeadlinePolicy.objects.filter(name="一般诉求").update(contact_within=12)

    result = policies_seed()

    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert DeadlinePolicy.objects.count() == 4
    assert DeadlinePolicy.objects.get(name="一般诉求").contact_within == 12


def test_an_administrators_own_policy_for_the_same_key_wins_over_the_seed(categories):
    DeadlinePolicy.objects.create(
        name="本区紧急", priority=Priority.URGENT, contact_within=1, resolve_within=12, resolve_unit=TimeUnit.HOURS
    )

    result = policies_seed()

    assert (result.created, result.unchanged) == (3, 1)
    assert list(DeadlinePolicy.objects.filter(priority=Priority.URGENT).values_list("name", flat=True)) == ["本区紧急"]


@pytest.mark.parametrize(
    "rows, message",
    [
        ({"name": "x"}, "must be a list"),
        ([{"priority": "urgent"}], "each with a name"),
        ([{"name": "坏", "category": "nowhere", "priority": "normal"}], "unknown category"),
        (
            [{"name": "零", "priority": "normal", "contact_within": 0, "resolve_within": 5}],
            "not valid",
        ),
        ([{"name": "怪", "priority": "whenever", "contact_within": 1, "resolve_within": 5}], "not valid"),
        (
            [{"name": "份", "priority": "normal", "contact_within": 1, "resolve_within": 5, "warn_share": "most"}],
            "not valid",
        ),
        (
            [{"name": "满", "priority": "normal", "contact_within": 1, "resolve_within": 5, "warn_share": 1}],
            "not valid",
        ),
    ],
)
def test_a_bad_policy_file_is_refused_and_writes_nothing(categories, tmp_path, rows, message):
    path = tmp_path / "policies.json"
    path.write_text(json.dumps(rows), encoding="utf-8")

    with pytest.raises(ActionRefused, match=message):
        policies_seed(path=path)

    assert not DeadlinePolicy.objects.exists()


def test_an_unreadable_policy_file_is_refused(categories, tmp_path):
    with pytest.raises(ActionRefused, match="Cannot read deadline policies"):
        policies_seed(path=tmp_path / "missing.json")


def test_policy_for_prefers_the_sub_category_then_the_group_then_the_default(policies, categories):
    water = categories["water_outage"]
    assert policy_for(category=water, priority=Priority.NORMAL).name == "水电气热停供"  # the group's
    own = DeadlinePolicy.objects.create(
        name="停水专项", category=water, priority=Priority.NORMAL, contact_within=1, resolve_within=12
    )
    assert policy_for(category=water, priority=Priority.NORMAL) == own
    assert policy_for(category=categories["noise_construction"], priority=Priority.NORMAL).name == "一般诉求"
    # No policy of that priority on the group: the priority's default.
    assert policy_for(category=water, priority=Priority.URGENT).name == "紧急诉求"
    assert policy_for(category=water, priority=Priority.COMPLEX).name == "疑难复杂诉求"


def test_an_inactive_policy_is_never_chosen(policies, categories):
    DeadlinePolicy.objects.filter(name="水电气热停供").update(is_active=False)
    assert policy_for(category=categories["water_outage"], priority=Priority.NORMAL).name == "一般诉求"


@pytest.mark.parametrize(
    "name, assigned, contact, resolve",
    [
        # Clock hours run through nights, weekends and holidays alike.
        ("紧急诉求", at(2026, 9, 30, 23, 0), at(2026, 10, 1, 1, 0), at(2026, 10, 1, 23, 0)),
        ("水电气热停供", at(2026, 2, 16, 9, 30), at(2026, 2, 16, 11, 30), at(2026, 2, 17, 9, 30)),
        # 7 natural days = 168 hours, even across National Day.
        ("一般诉求", at(2026, 9, 30, 17, 0), at(2026, 10, 1, 17, 0), at(2026, 10, 7, 17, 0)),
        # Thursday 24 Sep 2026, 17:00, the eve of Mid-Autumn. Off: 25–27 Sep, 1–7 Oct and
        # the weekends; worked: Sat 10 Oct. Working days 1–3: 28, 29, 30 Sep; 4–6: 8, 9,
        # 10 Oct; 7–11: 12–16 Oct; 12–15: 19–22 Oct.
        ("疑难复杂诉求", at(2026, 9, 24, 17, 0), at(2026, 9, 25, 17, 0), at(2026, 10, 22, 17, 0)),
        # Friday 18 Sep 2026, 17:00: Sun 20 Sep is a make-up workday and counts as day 1;
        # 21–24 Sep are 2–5, 28–30 Sep 6–8, 8–10 Oct 9–11, 12–15 Oct 12–15.
        ("疑难复杂诉求", at(2026, 9, 18, 17, 0), at(2026, 9, 19, 17, 0), at(2026, 10, 15, 17, 0)),
    ],
)
def test_due_times_for_each_policy_kind(policies, name, assigned, contact, resolve):
    with time_machine.travel(assigned, tick=False):
        assert due_times(assigned_at=assigned, policy=policies[name]) == (contact, resolve)


def test_a_submitted_complaint_gets_the_policy_of_its_category_and_priority(policies, submit, categories):
    categories["noise_neighbour"].default_priority = Priority.COMPLEX
    categories["noise_neighbour"].save(update_fields=["default_priority"])
    thursday = at(2026, 9, 24, 17, 0)
    with time_machine.travel(thursday, tick=False):
        complex_one = submit(category="noise_neighbour")
        water = submit(category="water_outage")
    assert complex_one.priority == Priority.COMPLEX
    assignment = complex_one.assignments.get()
    assert (assignment.policy.name, assignment.contact_due, assignment.resolve_due) == (
        "疑难复杂诉求",
        at(2026, 9, 25, 17, 0),
        at(2026, 10, 22, 17, 0),
    )
    assert assignment.next_due == at(2026, 9, 25, 17, 0)
    water_assignment = water.assignments.get()
    assert (water.priority, water_assignment.policy.name) == (Priority.NORMAL, "水电气热停供")
    assert water_assignment.resolve_due - water_assignment.assigned_at == timedelta(hours=24)


def test_shipped_categories_carry_sensible_default_priorities():
    categories_import(data=categories_load())
    urgent = set(Category.objects.filter(default_priority=Priority.URGENT).values_list("code", flat=True))
    complex_ = set(Category.objects.filter(default_priority=Priority.COMPLEX).values_list("code", flat=True))
    assert {"utilities.gas", "construction.manhole"} <= urgent
    assert {"construction.demolition", "housing.old_estate"} <= complex_
    assert Category.objects.get(code="noise.construction").effective_priority() == Priority.NORMAL


def test_a_bad_default_priority_in_the_category_file_is_refused(db):
    data = categories_load()
    data[0]["children"][0]["default_priority"] = "asap"
    with pytest.raises(ActionRefused, match="bad default_priority"):
        categories_import(data=data)
    assert not Category.objects.exists()
