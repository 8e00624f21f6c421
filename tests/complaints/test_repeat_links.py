"""Filing links a repeat (重复件): the same phone, the same sub-category, anywhere in
the same street, within the category's duplicate window, not a merged complaint; a
repeat of a repeat links to the first of the matter. The lookup filing makes reads the
phone's recent complaints on their index and matches the rest in Python: these pin
what it matches."""

from datetime import timedelta

import pytest

from complaints.models import Complaint, ComplaintStatus
from complaints.selectors.repeats import first_of_matter_number

pytestmark = pytest.mark.django_db


def _older(complaint, hours):
    Complaint.objects.filter(pk=complaint.pk).update(submitted_at=complaint.submitted_at - timedelta(hours=hours))


def test_a_second_filing_in_the_same_street_links_to_the_first_and_a_third_to_the_first_too(submit):
    first = submit()
    second = submit(region="yinzha")  # another community of 东华门街道
    third = submit()

    assert second.repeat_of_id == first.pk
    assert third.repeat_of_id == first.pk


def test_another_phone_sub_category_or_street_is_no_repeat(submit, categories, beijing):
    first = submit()

    assert submit(resident_phone="13900139000").repeat_of_id is None
    assert submit(category="noise_neighbour").repeat_of_id is None
    assert submit(region="longfusi").repeat_of_id is None  # 景山街道
    assert (
        first_of_matter_number(
            phone=first.resident_phone, category=categories["noise_construction"], region=beijing["jianwai"]
        )
        is None
    )


def test_outside_the_window_or_merged_the_earlier_complaint_is_no_first(submit, categories, beijing):
    old = submit()
    window = categories["noise_construction"].effective_duplicate_window_hours()
    _older(old, window + 1)
    assert submit(resident_phone="13800138000").repeat_of_id is None

    Complaint.objects.update(status=ComplaintStatus.MERGED)
    assert submit().repeat_of_id is None


def test_the_number_given_is_the_first_of_the_matters_tracking_number(submit, categories, beijing):
    first = submit()
    submit()

    assert first_of_matter_number(
        phone="13800138000", category=categories["noise_construction"], region=beijing["duofuxiang"]
    ) == (first.pk, first.tracking_number)
