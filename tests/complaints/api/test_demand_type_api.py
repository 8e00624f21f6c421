"""The demand type over the resident's API: optional on filing (a complaint when
left out), a bad value a 400 on `demand_type` with nothing filed, and shown in the
answer and on the tracking view. The channel is the door's (`api`), never the client's."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from complaints.models import Channel, Complaint, DemandType
from complaints.services.intake import complaint_intake

FILE_URL = reverse("complaints_api:file")
TRACK_URL = reverse("complaints_api:track")


def _file(api, data, capture, fmt="json", **headers):
    with capture(execute=True):
        return api.post(FILE_URL, data, format=fmt, **headers)


def test_left_out_the_type_is_a_complaint_and_the_channel_the_api(api, body, django_capture_on_commit_callbacks):
    response = _file(api, body(), django_capture_on_commit_callbacks)

    assert response.status_code == 201, response.content
    payload = response.json()
    assert (payload["demand_type"], payload["demand_type_display"], payload["channel"]) == (
        "complaint",
        "Complaint",
        "api",
    )
    complaint = Complaint.objects.get()
    assert (complaint.demand_type, complaint.channel) == (DemandType.COMPLAINT, Channel.API)


@pytest.mark.parametrize("kind", DemandType.values)
def test_the_chosen_type_is_stored_and_answered(api, body, kind, django_capture_on_commit_callbacks):
    response = _file(api, body(demand_type=kind), django_capture_on_commit_callbacks)

    assert response.status_code == 201, response.content
    assert response.json()["demand_type"] == kind
    assert Complaint.objects.get().demand_type == kind


def test_the_type_is_answered_in_the_requests_language(api, body, django_capture_on_commit_callbacks):
    response = _file(
        api, body(demand_type="praise"), django_capture_on_commit_callbacks, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )

    assert response.json()["demand_type_display"] == "表扬"


@pytest.mark.parametrize("bad", ["nonsense", "", "Complaint", 3, None, ["complaint"], {"x": 1}])
def test_a_bad_type_is_a_400_on_the_field_and_files_nothing(api, body, bad, django_capture_on_commit_callbacks):
    response = _file(api, body(demand_type=bad), django_capture_on_commit_callbacks)

    assert response.status_code == 400, response.content
    payload = response.json()
    assert list(payload["fields"]) == ["demand_type"]
    assert all(isinstance(message, str) and message for message in payload["fields"]["demand_type"])
    assert Complaint.objects.count() == 0


def test_a_bad_type_in_a_multipart_filing_is_refused_too(api, body, django_capture_on_commit_callbacks):
    data = body(demand_type="nonsense", answers='{"noise_time": "night"}')

    response = _file(api, data, django_capture_on_commit_callbacks, fmt="multipart")

    assert response.status_code == 400, response.content
    assert "demand_type" in response.json()["fields"]
    assert Complaint.objects.count() == 0


def test_a_multipart_filing_keeps_its_type(api, body, django_capture_on_commit_callbacks):
    data = body(demand_type="suggestion", answers='{"noise_time": "night"}')

    response = _file(api, data, django_capture_on_commit_callbacks, fmt="multipart")

    assert response.status_code == 201, response.content
    assert Complaint.objects.get().demand_type == DemandType.SUGGESTION


@pytest.mark.parametrize("channel", ["hotline", "web", "proactive"])
def test_a_channel_sent_by_the_client_is_not_taken(api, body, channel, django_capture_on_commit_callbacks):
    response = _file(api, body(channel=channel), django_capture_on_commit_callbacks)

    assert response.status_code == 201
    assert response.json()["channel"] == "api"
    assert Complaint.objects.get().channel == Channel.API


def test_a_retry_answers_with_the_first_type_whatever_it_says(api, body, django_capture_on_commit_callbacks):
    first = _file(api, body(demand_type="help"), django_capture_on_commit_callbacks, HTTP_IDEMPOTENCY_KEY="k-1")
    retry = _file(api, body(demand_type="praise"), django_capture_on_commit_callbacks, HTTP_IDEMPOTENCY_KEY="k-1")

    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json()["demand_type"] == "help"
    assert Complaint.objects.get().demand_type == DemandType.HELP


def test_the_tracking_view_shows_the_type_and_the_channel(api, body, django_capture_on_commit_callbacks):
    number = _file(api, body(demand_type="report"), django_capture_on_commit_callbacks).json()["tracking_number"]

    response = api.post(TRACK_URL, {"tracking_number": number, "phone_last4": "8000"}, format="json")

    assert response.status_code == 200, response.content
    view = response.json()
    assert (view["demand_type"], view["demand_type_display"], view["channel"]) == (
        "report",
        "Report of wrongdoing",
        "api",
    )


def test_an_old_complaint_is_tracked_as_a_web_complaint(api, submit):
    # Rows from before the field existed took its defaults in the migration.
    complaint = submit()

    view = api.post(
        TRACK_URL, {"tracking_number": complaint.tracking_number, "phone_last4": "8000"}, format="json"
    ).json()

    assert (view["demand_type"], view["channel"]) == ("complaint", "web")


def test_the_machine_door_names_a_bad_type_with_every_other_mistake(beijing, categories, rules):
    with pytest.raises(ValidationError) as refused:
        complaint_intake(
            category_id="nope",
            region_code="110101001001",
            address="东华门大街 1 号",
            description="施工噪声",
            resident_name="张三",
            resident_phone="13800138000",
            channel=Channel.API,
            demand_type="nonsense",
        )

    assert {"demand_type", "category"} <= set(refused.value.message_dict)
    assert "consultation, help, complaint, report, suggestion, praise" in refused.value.message_dict["demand_type"][0]
    assert Complaint.objects.count() == 0
