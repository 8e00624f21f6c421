"""Limits on guessing and flooding: tracking look-ups per address and per tracking
number, intake per address and per phone, on the pages, the REST API and Open311,
and the sign-in lockout. Over a limit: 429 in the caller's shape, nothing changed."""

import pytest
from django.core.cache import cache
from django.test import override_settings

from complaints.models import Complaint

pytestmark = pytest.mark.django_db

REAL_LIMITS = {
    "track_per_ip": "30/h",
    "track_per_number": "10/h",
    "file_per_ip": "30/h",
    "file_per_phone": "10/d",
}


@pytest.fixture(autouse=True)
def real_limits():
    cache.clear()
    with override_settings(WHISTLE_LIMITS=REAL_LIMITS):
        yield
    cache.clear()


def guess(client, number, last4, *, ip="198.51.100.7"):
    return client.post("/track/", {"tracking_number": number, "phone_last4": last4}, REMOTE_ADDR=ip)


def test_the_eleventh_guess_at_one_tracking_number_is_refused_even_from_new_addresses(client, submit):
    complaint = submit(resident_phone="13912345678")
    for n in range(10):
        assert guess(client, complaint.tracking_number, f"{n:04d}", ip=f"198.51.100.{n + 1}").status_code == 200
    # The right last four, from yet another address: the number is spent for the hour.
    refused = guess(client, complaint.tracking_number, "5678", ip="198.51.100.99")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Too many attempts" in refused.content.decode() or "尝试次数过多" in refused.content.decode()
    assert not client.session.get("tracking_grants")


def test_walking_the_ten_thousand_pairs_would_take_a_thousand_hours(client, submit):
    """10 guesses per number per hour: the 10^4 last-four pairs take 1,000 hours."""
    complaint = submit()
    answers = [guess(client, complaint.tracking_number, f"{n:04d}").status_code for n in range(40)]
    assert answers.count(200) == 10
    assert set(answers[10:]) == {429}


def test_one_address_is_held_back_across_many_tracking_numbers(client):
    answers = [guess(client, f"2026120{n:09d}", "0000").status_code for n in range(35)]
    assert answers[:30] == [200] * 30
    assert set(answers[30:]) == {429}


def test_the_page_is_in_the_reader_s_language(client, submit):
    complaint = submit()
    for n in range(10):
        guess(client, complaint.tracking_number, f"{n:04d}")
    chinese = client.post(
        "/track/", {"tracking_number": complaint.tracking_number, "phone_last4": "1"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    english = client.post(
        "/track/", {"tracking_number": complaint.tracking_number, "phone_last4": "1"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert chinese.status_code == english.status_code == 429
    assert "Too many attempts" in english.content.decode()
    assert "Too many attempts" not in chinese.content.decode()


def test_the_api_tracking_door_shares_the_count_and_answers_in_its_error_shape(client, submit):
    complaint = submit()
    for n in range(10):
        guess(client, complaint.tracking_number, f"{n:04d}")
    response = client.post(
        "/api/v1/complaints/track/",
        {"tracking_number": complaint.tracking_number, "phone_last4": "0000"},
        content_type="application/json",
        REMOTE_ADDR="203.0.113.5",
    )
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


def file_by_api(client, body, *, ip="203.0.113.9", key=None):
    import uuid

    return client.post(
        "/api/v1/complaints/",
        body,
        content_type="application/json",
        REMOTE_ADDR=ip,
        HTTP_IDEMPOTENCY_KEY=key or str(uuid.uuid4()),
    )


@pytest.fixture
def api_body(categories, beijing):
    return {
        "category": categories["noise_construction"].pk,
        "region": beijing["duofuxiang"].code,
        "address": "东华门大街1号",
        "description": "夜间施工噪声",
        "resident_name": "张三",
        "resident_phone": "13800138000",
    }


def test_one_phone_files_ten_a_day_and_the_eleventh_is_refused_with_nothing_filed(client, api_body):
    answers = [file_by_api(client, api_body, ip=f"203.0.113.{n + 1}").status_code for n in range(10)]
    assert answers == [201] * 10
    refused = file_by_api(client, api_body, ip="203.0.113.200")
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert Complaint.objects.count() == 10
    # Another phone from the same address still files.
    assert file_by_api(client, {**api_body, "resident_phone": "13900139000"}, ip="203.0.113.1").status_code == 201


def test_refused_forms_do_not_count_against_a_resident_correcting_them(client, api_body):
    for _ in range(15):
        assert file_by_api(client, {**api_body, "description": ""}).status_code == 400
    assert file_by_api(client, api_body).status_code == 201


def test_a_replay_of_one_filing_is_not_counted_twice(client, api_body):
    for _ in range(12):
        assert file_by_api(client, api_body, key="11111111-1111-4111-8111-111111111111").status_code in (200, 201)
    assert Complaint.objects.count() == 1
    assert file_by_api(client, api_body).status_code == 201


def test_the_web_form_counts_filings_per_address(client, api_body):
    with override_settings(WHISTLE_LIMITS={**REAL_LIMITS, "file_per_ip": "2/h"}):
        for n in range(2):
            assert file_by_api(client, {**api_body, "resident_phone": f"1390013900{n}"}).status_code == 201
        response = client.post("/file/", {"resident_phone": "13700137000"}, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429
    assert Complaint.objects.count() == 2


def test_with_the_cache_down_the_limits_let_requests_through(client, submit, monkeypatch):
    from django_ratelimit import core

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(core, "get_usage", broken)
    monkeypatch.setattr("portal.limits.get_usage", broken)
    complaint = submit()
    assert guess(client, complaint.tracking_number, "0000").status_code == 200


def test_limits_are_settings_and_an_empty_rate_turns_one_off(client, submit):
    complaint = submit()
    with override_settings(WHISTLE_LIMITS={**REAL_LIMITS, "track_per_number": "", "track_per_ip": ""}):
        answers = {guess(client, complaint.tracking_number, f"{n:04d}").status_code for n in range(15)}
    assert answers == {200}
