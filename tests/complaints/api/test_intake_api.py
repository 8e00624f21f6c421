"""POST /api/v1/complaints/: filing from an app or another system, with the web
form's checks, a point narrowed down to a place, and Idempotency-Key retries."""

import json

import pytest
from django.urls import reverse

from complaints.api.common import ResidentRateThrottle
from complaints.models import Channel, Complaint, ComplaintEvent
from tests.complaints.api.conftest import IN_CHAOYANG, IN_DONGCHENG, IN_SHANGHAI

URL = reverse("complaints_api:file")


def _post(api, data, **headers):
    return api.post(URL, data, format="json", **headers)


def _invalid(response, field):
    assert response.status_code == 400, response.content
    payload = response.json()
    assert payload["code"] == "invalid"
    assert field in payload["fields"], payload
    assert all(isinstance(message, str) and message for message in payload["fields"][field])
    return payload


def test_a_complaint_is_filed_and_answered_with_its_tracking_number(api, body, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(api, body())

    assert response.status_code == 201, response.content
    payload = response.json()
    complaint = Complaint.objects.get()
    assert payload["tracking_number"] == complaint.tracking_number
    assert payload["region"] == "110101001001"
    assert payload["place"] == ["东城区", "东华门街道", "多福巷社区"]
    assert payload["place_to_confirm"] is False
    assert payload["channel"] == "api"
    assert (complaint.channel, complaint.resident_phone, complaint.answers) == (
        Channel.API,
        "13800138000",
        {"noise_time": "night"},
    )
    complaint.refresh_from_db()
    # Routed by the same rules as the web form's complaints.
    assert complaint.status == "assigned"
    assert ComplaintEvent.objects.filter(complaint=complaint, kind="submitted").exists()


def test_the_answer_carries_no_personal_data(api, body):
    response = _post(api, body(resident_email="zhang@example.invalid"))

    text = response.content.decode()
    for secret in ("张三", "13800138000", "8000", "zhang@example.invalid"):
        assert secret not in text


def test_the_channel_is_the_doors_not_the_clients(api, body):
    _post(api, body(channel="hotline"))

    assert Complaint.objects.get().channel == Channel.API


def test_a_street_code_is_enough(api, body):
    response = _post(api, body(region="110101001"))

    assert response.status_code == 201
    assert Complaint.objects.get().region.code == "110101001"


def test_a_point_with_a_community_in_its_address_is_filed_there(api, body, outlines):
    response = _post(api, body(region=..., address="东华门街道多福巷社区 5 号楼", **IN_DONGCHENG))

    assert response.status_code == 201, response.content
    complaint = Complaint.objects.get()
    assert (complaint.region.code, complaint.place_to_confirm) == ("110101001001", False)
    assert (float(complaint.latitude), float(complaint.longitude)) == (39.915, 116.41)


def test_a_point_alone_is_filed_to_its_district_for_the_centre_to_confirm(api, body, outlines):
    response = _post(api, body(region=..., address="王府井附近", **IN_DONGCHENG))

    assert response.status_code == 201, response.content
    assert response.json()["place_to_confirm"] is True
    complaint = Complaint.objects.get()
    assert (complaint.region.code, complaint.place_to_confirm) == ("110101", True)


def test_a_district_code_alone_is_filed_for_the_centre_to_confirm(api, body):
    response = _post(api, body(region="110105", address="某小区门口"))

    assert response.status_code == 201, response.content
    complaint = Complaint.objects.get()
    assert (complaint.region.code, complaint.place_to_confirm) == ("110105", True)


def test_a_district_code_and_a_street_in_the_address_give_the_street(api, body):
    response = _post(api, body(region="110101", address="景山街道 3 号"))

    assert response.status_code == 201, response.content
    complaint = Complaint.objects.get()
    assert (complaint.region.code, complaint.place_to_confirm) == ("110101002", False)


def test_a_point_outside_beijing_is_refused_on_latitude(api, body, outlines):
    response = _post(api, body(region=..., **IN_SHANGHAI))

    payload = _invalid(response, "latitude")
    assert "outside Beijing" in payload["fields"]["latitude"][0]
    assert not Complaint.objects.exists()


def test_a_street_code_with_a_point_outside_beijing_is_refused_too(api, body, outlines):
    _invalid(_post(api, body(**IN_SHANGHAI)), "latitude")
    assert not Complaint.objects.exists()


def test_a_district_code_and_a_point_in_another_district_disagree(api, body, outlines):
    _invalid(_post(api, body(region="110101", **IN_CHAOYANG)), "region")
    assert not Complaint.objects.exists()


def test_a_point_with_no_outlines_to_place_it_is_refused(api, body):
    _invalid(_post(api, body(region=..., address="某处", **IN_DONGCHENG)), "latitude")
    assert not Complaint.objects.exists()


LONG = "字" * 2001


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"category": "abc"}, "category"),
        ({"category": True}, "category"),
        ({"category": 1.5}, "category"),
        ({"category": None}, "category"),
        ({"category": 10**30}, "category"),
        ({"category": 987654}, "category"),
        ({"category": ...}, "category"),
        ({"region": "999999"}, "region"),
        ({"region": "abc"}, "region"),
        ({"region": "11"}, "region"),
        ({"region": "1101010010011234"}, "region"),
        ({"region": 110101001}, "region"),
        ({"region": ...}, "region"),
        ({"latitude": 39.9}, "latitude"),
        ({"latitude": "north", "longitude": 116.4}, "latitude"),
        ({"latitude": True, "longitude": 116.4}, "latitude"),
        ({"latitude": 200, "longitude": 116.4}, "latitude"),
        ({"latitude": [39.9], "longitude": 116.4}, "latitude"),
        ({"description": ""}, "description"),
        ({"description": "   "}, "description"),
        ({"description": LONG}, "description"),
        ({"description": ["凌晨"]}, "description"),
        ({"description": ...}, "description"),
        ({"address": "地" * 201}, "address"),
        ({"address": ...}, "address"),
        ({"resident_name": "名" * 51}, "resident_name"),
        ({"resident_name": 12}, "resident_name"),
        ({"resident_phone": "12345"}, "resident_phone"),
        ({"resident_phone": "1" * 31}, "resident_phone"),
        ({"resident_phone": 13800138000}, "resident_phone"),
        ({"resident_email": "not an address"}, "resident_email"),
        ({"hide_name": "perhaps"}, "hide_name"),
        ({"answers": "night"}, "answers"),
        ({"answers": ["night"]}, "answers"),
        ({"answers": {"noise_time": "noon"}}, "answers.noise_time"),
        ({"answers": {"noise_time": ["night", "daytime"]}}, "answers.noise_time"),
        ({"answers": {"noise_time": {"key": "night"}}}, "answers"),
        ({"answers": {"noise_time": True}}, "answers"),
        ({"answers": {}}, "answers.noise_time"),
        ({"answers": ...}, "answers.noise_time"),
        ({"answers": {"noise_time": "night", "colour": "red"}}, "answers.colour"),
        ({"answers": {"noise_time": "night", "q" * 51: "x"}}, "answers"),
        ({"answers": {f"q{i}": "x" for i in range(51)}}, "answers"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_files_nothing(api, body, overrides, field):
    _invalid(_post(api, body(**overrides)), field)
    assert not Complaint.objects.exists()


def test_a_group_is_not_a_category_to_file_under(api, body, categories):
    payload = _invalid(_post(api, body(category=categories["noise"].pk)), "category")
    assert payload["fields"]["category"] == ["Choose a specific problem, not a group."]


def test_an_inactive_category_is_unknown(api, body, categories):
    categories["noise_construction"].is_active = False
    categories["noise_construction"].save(update_fields=["is_active"])

    _invalid(_post(api, body()), "category")


def test_every_mistake_is_reported_at_once(api, body):
    payload = _invalid(_post(api, body(region="999999", resident_phone="12", answers={})), "region")
    assert {"region", "resident_phone", "answers.noise_time"} <= set(payload["fields"])


def test_the_questions_of_the_category_are_checked(api, body, categories):
    data = body(category=categories["water_outage"].pk, answers={"outage_since": "yesterday"})
    payload = _invalid(_post(api, data), "answers.outage_since")
    assert "date and time" in payload["fields"]["answers.outage_since"][0]

    response = _post(
        api, body(category=categories["water_outage"].pk, answers={"outage_since": "2026-12-01T08:00+08:00"})
    )
    assert response.status_code == 201, response.content
    assert Complaint.objects.get().answers == {"outage_since": "2026-12-01T08:00+08:00"}


def test_a_huge_answer_is_refused(api, body, categories):
    data = body(
        category=categories["water_outage"].pk,
        answers={"outage_since": "2026-12-01T08:00", "account_number": "9" * 100_000},
    )
    _invalid(_post(api, data), "answers.account_number")
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("raw", [b'{"category": ', b"\xff\xfe", b"[1, 2", b"NaN"])
def test_malformed_json_is_a_parse_error(api, body, raw):
    response = api.generic("POST", URL, raw, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("raw", ["[]", '"text"', "42", "null"])
def test_a_body_that_is_not_an_object_is_refused(api, body, raw):
    response = api.generic("POST", URL, raw, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert not Complaint.objects.exists()


def test_a_form_encoded_body_is_not_accepted(api, body):
    # multipart/form-data is taken (to send photos: test_intake_photos_api); a plain form body is not.
    response = api.generic("POST", URL, "category=1", content_type="application/x-www-form-urlencoded")

    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_a_ten_megabyte_body_is_refused_unread(api, body):
    raw = json.dumps(body(description="噪" * (10 * 1024 * 1024 // 3)))

    response = api.generic("POST", URL, raw, content_type="application/json")

    assert response.status_code == 413
    assert set(response.json()) == {"code", "detail"}
    assert response.json()["code"] == "too_large"
    assert not Complaint.objects.exists()


def test_the_same_idempotency_key_twice_files_one_complaint(api, body):
    first = _post(api, body(), HTTP_IDEMPOTENCY_KEY="app-7f3a")
    again = _post(api, body(description="重发的请求"), HTTP_IDEMPOTENCY_KEY="app-7f3a")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert again.json() == first.json()
    assert Complaint.objects.count() == 1


def test_the_same_key_from_another_phone_is_another_complaint(api, body):
    mine = _post(api, body(), HTTP_IDEMPOTENCY_KEY="1")
    theirs = _post(api, body(resident_name="李四", resident_phone="13900139000"), HTTP_IDEMPOTENCY_KEY="1")

    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["tracking_number"] != theirs.json()["tracking_number"]
    assert Complaint.objects.count() == 2
    # The other resident's filing says nothing of mine.
    assert "张三" not in theirs.content.decode() and mine.json()["tracking_number"] not in theirs.content.decode()


def test_the_key_is_matched_on_the_normalised_phone(api, body):
    _post(api, body(resident_phone="13800138000"), HTTP_IDEMPOTENCY_KEY="k")
    again = _post(api, body(resident_phone="+86 138-0013-8000"), HTTP_IDEMPOTENCY_KEY="k")

    assert again.status_code == 200
    assert Complaint.objects.count() == 1


def test_without_a_key_a_retry_files_again(api, body):
    _post(api, body())
    _post(api, body())

    assert Complaint.objects.count() == 2


@pytest.mark.parametrize("key", ["", "k" * 256, "tab\there", "zeilen\numbruch", "ключ"])
def test_a_bad_idempotency_key_is_refused(api, body, key):
    _invalid(_post(api, body(), HTTP_IDEMPOTENCY_KEY=key), "Idempotency-Key")
    assert not Complaint.objects.exists()


def test_a_key_of_255_characters_is_fine(api, body):
    assert _post(api, body(), HTTP_IDEMPOTENCY_KEY="k" * 255).status_code == 201


def test_only_post_is_allowed(api, body):
    response = api.get(URL)

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_a_signed_in_browser_files_without_a_csrf_token(body, people):
    # The resident's door takes no sign-in at all, so a session cookie neither
    # helps nor trips Django's CSRF check.
    from rest_framework.test import APIClient

    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(people["nobody"])

    response = browser.post(URL, body(), format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 201
    assert Complaint.objects.get().resident is None


def test_too_many_requests_from_one_address_are_throttled(api, body, monkeypatch):
    monkeypatch.setattr(ResidentRateThrottle, "rate", "2/minute", raising=False)

    responses = [_post(api, body()) for _ in range(3)]

    assert [r.status_code for r in responses] == [201, 201, 429]
    assert responses[-1].json()["code"] == "throttled"
    assert "Retry-After" in responses[-1]
    assert Complaint.objects.count() == 2
