"""Intake never waits on the broker: a routing message that cannot be sent is kept
in the database and sent by the backlog task once the broker is back."""

import uuid
from datetime import timedelta

import pytest
from django.test import override_settings
from kombu.exceptions import OperationalError

from complaints.models import ComplaintStatus
from dispatch.models import UnsentRouting
from dispatch.services.routing_backlog import routing_backlog_drain
from dispatch.tasks import route_complaint, sweep_unrouted

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker(monkeypatch):
    """The broker's state as the producer sees it; `sent` records each publish."""
    state = {"down": True, "sent": [], "attempts": 0}
    real = route_complaint.apply_async

    def apply_async(args=None, kwargs=None, **options):
        state["attempts"] += 1
        assert options.get("retry") is False, "a publish on the request path must not retry"
        if state["down"]:
            raise OperationalError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")
        state["sent"].append(args[0])
        return real(args, kwargs, **options)

    monkeypatch.setattr(route_complaint, "apply_async", apply_async)
    return state


def test_a_complaint_filed_with_the_broker_down_is_kept_and_routed_when_it_is_back(submit, broker):
    complaint = submit()
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.SUBMITTED
    assert UnsentRouting.objects.filter(complaint=complaint).exists()
    assert broker["attempts"] == 1

    broker["down"] = False
    assert routing_backlog_drain() == 1
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ASSIGNED
    assert not UnsentRouting.objects.exists()
    assert broker["sent"] == [complaint.pk]


def test_the_drain_stops_at_the_first_failure_and_keeps_the_rest(submit, broker):
    submit(), submit()
    assert UnsentRouting.objects.count() == 2
    attempts = broker["attempts"]
    assert routing_backlog_drain() == 0
    assert broker["attempts"] == attempts + 1  # one try, not one per kept complaint
    assert UnsentRouting.objects.count() == 2


def test_the_unrouted_sweep_leaves_kept_complaints_to_the_backlog(submit, broker):
    submit()
    broker["down"] = False
    with override_settings(WHISTLE_REROUTE_AFTER=timedelta(seconds=-1)):
        assert sweep_unrouted() == 0


def test_the_web_form_answers_at_once_with_the_broker_down(
    client, beijing, categories, rules, broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/file/",
            {
                "category": categories["noise_construction"].pk,
                "district": beijing["dongcheng"].code,
                "street": beijing["donghuamen"].code,
                "community": beijing["duofuxiang"].code,
                "address": "东华门大街 1 号",
                "description": "夜间施工噪声很大",
                "resident_name": "王芳",
                "resident_phone": "13912345678",
                "submission_token": str(uuid.uuid4()),
            },
        )
    assert response.status_code == 303
    assert UnsentRouting.objects.count() == 1
