"""Emergency and sensitive words: matched on every intake (service, web form, REST
API, Open311), they make the demand urgent, keep the words on it, and the resident
is shown the 110/119/120 notice."""

import functools

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from complaints.emergency import emergency_words_in
from complaints.models import Complaint, Priority
from complaints.open311.keys import open311_client_create
from dispatch.models import TriageItem
from tests.complaints.open311.conftest import Open311

FIRE = "楼道里冒烟了，好像着火了"
NOTICE = "What you wrote sounds like an emergency."


@pytest.fixture(autouse=True)
def _default_words(settings):
    # The shipped defaults, whatever the environment running the tests sets.
    from portal import settings as portal_settings

    settings.WHISTLE_EMERGENCY_WORDS = list(portal_settings.WHISTLE_EMERGENCY_WORDS)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("三楼着火了，有人被困", ["着火", "被困"]),
        ("There is a GAS LEAK in the basement", ["gas leak"]),
        ("Smoke, fire! Fire everywhere", ["fire"]),
        ("冒烟，起火，又冒烟", ["起火", "冒烟"]),  # the list's order, each once
        ("凌晨两点还在施工，噪声很大", []),
        ("", []),
    ],
)
def test_words_are_found_case_insensitively_in_the_lists_order(text, words):
    assert emergency_words_in(text) == words


def test_the_list_is_the_setting(settings):
    settings.WHISTLE_EMERGENCY_WORDS = ["塌方", "  ", "Flood"]
    assert emergency_words_in("路面塌方, flooding") == ["塌方", "Flood"]
    assert emergency_words_in("着火了") == []


def test_the_service_files_an_emergency_as_urgent_with_its_words(submit):
    complaint = submit(description=FIRE, address="东华门大街 1 号")
    assert complaint.priority == Priority.URGENT
    assert complaint.emergency_words == ["着火", "冒烟"]


def test_the_address_counts_too(submit):
    complaint = submit(description="门口有人", address="煤气泄漏的那栋楼下")
    assert complaint.emergency_words == ["煤气泄漏"]
    assert complaint.priority == Priority.URGENT


def test_an_ordinary_complaint_keeps_its_categorys_priority_and_no_words(submit, units):
    complaint = submit()
    assert complaint.emergency_words == []
    assert complaint.priority == Priority.NORMAL
    assert complaint.assignments.get().unit == units["donghuamen"]


def test_an_emergency_waits_for_the_centre_instead_of_going_to_a_unit(submit, units):
    complaint = submit(description=FIRE)
    assert complaint.status == "submitted"
    assert not complaint.assignments.exists()
    item = TriageItem.objects.get(complaint=complaint, closed_at__isnull=True)
    assert item.reason == "emergency"


# The web form


@pytest.fixture
def form_data(form_data):
    """The intake form, reporting a fire."""
    return functools.partial(form_data, description=FIRE)


def test_the_web_form_files_it_urgent_and_the_confirmation_alerts_with_the_numbers(
    client, form_data, django_capture_on_commit_callbacks
):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("complaints:file"), form_data())
    complaint = Complaint.objects.get()
    assert (complaint.priority, complaint.emergency_words) == (Priority.URGENT, ["着火", "冒烟"])

    html = client.get(response["Location"]).content.decode()
    alert = html[html.index('role="alert"') : html.index("filed-title")]
    assert NOTICE in alert
    assert 'href="tel:119"' in alert and 'href="tel:110"' in alert and 'href="tel:120"' in alert


def test_an_ordinary_confirmation_has_no_alert(client, form_data, django_capture_on_commit_callbacks):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("complaints:file"), form_data(description="凌晨两点还在施工，噪声很大"))
    html = client.get(response["Location"]).content.decode()
    assert 'role="alert"' not in html
    assert NOTICE not in html


# The REST API


@pytest.fixture
def api():
    from django.core.cache import cache

    cache.clear()
    client = APIClient()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    yield client
    cache.clear()


def _api_body(categories, **overrides):
    return {
        "category": categories["noise_construction"].pk,
        "region": "110101001001",
        "address": "东华门大街 1 号",
        "description": FIRE,
        "resident_name": "张三",
        "resident_phone": "13800138000",
        **overrides,
    }


def test_the_api_files_it_urgent_and_answers_the_notice(api, beijing, categories, rules):
    response = api.post(reverse("complaints_api:file"), _api_body(categories), format="json")
    assert response.status_code == 201, response.content
    assert NOTICE in response.json()["emergency_notice"]
    assert "119" in response.json()["emergency_notice"]
    complaint = Complaint.objects.get(tracking_number=response.json()["tracking_number"])
    assert (complaint.priority, complaint.emergency_words) == (Priority.URGENT, ["着火", "冒烟"])


def test_the_api_notice_is_in_the_requests_language(api, beijing, categories, rules):
    response = api.post(
        reverse("complaints_api:file"), _api_body(categories), format="json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    notice = response.json()["emergency_notice"]
    with translation.override("zh-hans"):
        expected = translation.gettext(
            "What you wrote sounds like an emergency. If anyone is in danger now, call 119 for a fire, "
            "110 for the police or 120 for an ambulance: the 12345 centre cannot send help at once."
        )
    assert notice == expected


def test_an_ordinary_api_filing_has_a_null_notice(api, beijing, categories, rules):
    body = _api_body(categories, description="凌晨两点还在施工，噪声很大")
    response = api.post(reverse("complaints_api:file"), body, format="json")
    assert response.status_code == 201
    assert response.json()["emergency_notice"] is None


# Open311


def _open311_filing(beijing, description):
    return {
        "service_code": "noise.construction",
        "address_id": beijing["duofuxiang"].code,
        "address_string": "东华门大街 1 号",
        "description": description,
        "first_name": "三",
        "last_name": "张",
        "phone": "13800138000",
    }


def test_open311_files_it_urgent_and_says_so_in_service_notice(db, beijing, categories, rules):
    from django.core.cache import cache

    cache.clear()
    _key_row, key = open311_client_create(name="城市随手拍")
    answer = Open311().post("requests.json", {"api_key": key, **_open311_filing(beijing, "Gas leak on the stairs")})
    assert answer.status == 200, answer.body
    (row,) = answer.json()
    assert NOTICE in row["service_notice"]
    assert row["service_request_id"] in row["service_notice"]
    complaint = Complaint.objects.get(tracking_number=row["service_request_id"])
    assert (complaint.priority, complaint.emergency_words) == (Priority.URGENT, ["gas leak"])


def test_open311_ordinary_notice_is_unchanged(db, beijing, categories, rules):
    from django.core.cache import cache

    cache.clear()
    _key_row, key = open311_client_create(name="城市随手拍")
    answer = Open311().post("requests.json", {"api_key": key, **_open311_filing(beijing, "凌晨两点还在施工")})
    (row,) = answer.json()
    assert NOTICE not in row["service_notice"]
