"""Finding possible duplicates: same category, open, inside the category's time
window, and near by pin (radius) or by place (same community or street)."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from complaints.models import Category, Complaint, ComplaintStatus
from complaints.selectors.duplicates import duplicate_candidates, haversine_m
from complaints.services.categories import categories_import, categories_load
from portal.errors import ActionRefused

# 东华门大街, with points about 111 m and 334 m north of it.
LAT, LNG = Decimal("39.915000"), Decimal("116.404000")
NEAR = Decimal("39.916000")
FAR = Decimal("39.918000")


@pytest.fixture
def pinned(submit):
    def _pinned(lat=LAT, lng=LNG, **overrides):
        return submit(latitude=lat, longitude=lng, **overrides)

    return _pinned


def found(complaint):
    complaint = Complaint.objects.select_related("category__parent", "region").get(pk=complaint.pk)
    return {c.complaint.tracking_number: c.distance_m for c in duplicate_candidates(complaint=complaint)}


def test_a_pinned_complaint_inside_the_radius_is_found_with_its_distance(pinned):
    lead = pinned()
    near = pinned(lat=NEAR)
    far = pinned(lat=FAR)
    assert found(near) == {lead.tracking_number: 111}
    assert far.tracking_number not in found(lead)


def test_the_group_radius_applies_to_a_sub_category_that_sets_none(pinned, categories):
    categories["noise"].duplicate_radius_m = 500
    categories["noise"].save(update_fields=["duplicate_radius_m"])
    lead = pinned()
    far = pinned(lat=FAR)
    assert found(far) == {lead.tracking_number: 334}
    # The sub-category's own value wins over the group's.
    categories["noise_construction"].duplicate_radius_m = 150
    categories["noise_construction"].save(update_fields=["duplicate_radius_m"])
    assert found(far) == {}


def test_complaints_outside_the_time_window_are_not_duplicates(pinned, categories):
    start = timezone.now()
    with time_machine.travel(start - timedelta(hours=80), tick=False):
        old = pinned()
    with time_machine.travel(start - timedelta(hours=70), tick=False):
        recent = pinned()
    with time_machine.travel(start, tick=False):
        new = pinned(lat=NEAR)
    assert set(found(new)) == {recent.tracking_number}
    # The window looks forward too: the old one sees only what came within 72 h after it.
    assert set(found(old)) == {recent.tracking_number}
    categories["noise"].duplicate_window_hours = 12
    categories["noise"].save(update_fields=["duplicate_window_hours"])
    assert found(new) == {}


def test_another_category_is_not_a_duplicate(pinned):
    pinned(category="noise_neighbour")
    assert found(pinned()) == {}


@pytest.mark.parametrize("status", [ComplaintStatus.CLOSED, ComplaintStatus.REJECTED])
def test_a_finished_order_is_not_offered_as_a_lead(pinned, status):
    lead = pinned()
    Complaint.objects.filter(pk=lead.pk).update(status=status)
    assert found(pinned(lat=NEAR)) == {}


def test_a_merged_order_is_not_offered_as_a_lead(pinned):
    lead = pinned()
    follower = pinned()
    Complaint.objects.filter(pk=follower.pk).update(status=ComplaintStatus.MERGED, merged_into=lead)
    assert found(pinned(lat=NEAR)) == {lead.tracking_number: 111}


def test_without_pins_the_same_community_is_a_duplicate_and_a_neighbouring_one_is_not(submit):
    lead = submit(region="duofuxiang")
    submit(region="yinzha")
    assert found(submit(region="duofuxiang")) == {lead.tracking_number: None}


def test_a_pin_on_one_side_only_falls_back_to_the_community(pinned, submit):
    unpinned = submit(region="duofuxiang")
    submit(region="yinzha")
    pinned_one = pinned(region="duofuxiang")
    assert found(pinned_one) == {unpinned.tracking_number: None}
    assert found(unpinned) == {pinned_one.tracking_number: None}


def test_street_only_complaints_match_on_the_street_but_not_a_community_in_it(submit):
    street = submit(region="donghuamen")
    community = submit(region="duofuxiang")
    other_street = submit(region="jingshan")
    assert found(submit(region="donghuamen")) == {street.tracking_number: None}
    assert community.tracking_number not in found(street)
    assert other_street.tracking_number not in found(street)


def test_detection_costs_one_query_however_many_rows(pinned, django_assert_num_queries):
    lead = pinned()
    for _ in range(5):
        pinned(lat=NEAR)
    complaint = Complaint.objects.select_related("category__parent", "region").get(pk=lead.pk)
    with django_assert_num_queries(1):
        assert len(duplicate_candidates(complaint=complaint)) == 5


def test_haversine_matches_a_known_distance():
    # One thousandth of a degree of latitude is about 111 m anywhere.
    assert round(haversine_m((39.915, 116.404), (39.916, 116.404))) == 111


def test_a_complaint_cannot_be_merged_into_itself_in_the_database(submit):
    complaint = submit()
    with pytest.raises(IntegrityError), transaction.atomic():
        Complaint.objects.filter(pk=complaint.pk).update(status=ComplaintStatus.MERGED, merged_into=complaint)


def test_merged_into_needs_the_merged_status_in_the_database(submit):
    lead, other = submit(), submit()
    with pytest.raises(IntegrityError), transaction.atomic():
        Complaint.objects.filter(pk=other.pk).update(merged_into=lead)


def test_category_import_takes_the_duplicate_settings_and_refuses_bad_ones(db):
    data = [
        {
            "code": "noise",
            "name": "噪声扰民",
            "duplicate_radius_m": 300,
            "duplicate_window_hours": 48,
            "children": [{"code": "noise.construction", "name": "施工噪声"}],
        }
    ]
    categories_import(data=data)
    child = Category.objects.select_related("parent").get(code="noise.construction")
    assert (child.duplicate_radius_m, child.effective_duplicate_radius_m()) == (None, 300)
    assert child.effective_duplicate_window_hours() == 48
    for bad in (0, -5, "300", 1.5, True):
        data[0]["duplicate_radius_m"] = bad
        with pytest.raises(ActionRefused, match="bad duplicate_radius_m"):
            categories_import(data=data)
    assert Category.objects.get(code="noise").duplicate_radius_m == 300


def test_the_shipped_categories_file_sets_the_settings_for_a_few_groups():
    groups = {group["code"]: group for group in categories_load()}
    assert groups["noise"]["duplicate_radius_m"] == 300
    assert "duplicate_radius_m" not in groups["labour"]
