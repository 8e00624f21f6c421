"""The demo's returning caller: make run leaves a number with a history for the
hotline desk and one order waiting for its callback."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from complaints.models import Channel, Complaint, ComplaintStatus
from dispatch.models import Assignment, AssignmentRole
from dispatch.services.seed.callers import DEMO_CALLER

pytestmark = pytest.mark.django_db


def test_the_demo_caller_has_a_closed_and_a_resolved_order_filed_on_the_hotline(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))
    calls = Complaint.objects.filter(resident_phone=DEMO_CALLER).order_by("submitted_at")
    assert [c.status for c in calls] == [ComplaintStatus.CLOSED, ComplaintStatus.RESOLVED]
    assert {c.channel for c in calls} == {Channel.HOTLINE}
    closed, resolved = calls
    now = timezone.now()
    assert now - closed.submitted_at > timedelta(days=39)
    assert timedelta(hours=35) < now - resolved.resolved_at < timedelta(hours=37)
    assert closed.ratings.get().satisfaction == "satisfied"
    assert not resolved.ratings.exists()
    lead = Assignment.objects.get(complaint=resolved, role=AssignmentRole.LEAD)
    assert lead.unit.code == "s-110101001"
    assert lead.assigned_at < resolved.resolved_at
    # The timeline reads in order: filed, ..., resolved.
    kinds = list(resolved.events.order_by("created_at", "pk").values_list("kind", flat=True))
    assert kinds[0] == "submitted" and kinds[-1] == "resolved"


def test_seeding_twice_files_the_caller_once():
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert Complaint.objects.filter(resident_phone=DEMO_CALLER).count() == 2
