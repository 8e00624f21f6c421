"""POST /api/v1/complaints/track/: the public view of a complaint for the resident
who proves its tracking number with the phone's last four digits."""

import pytest
from django.urls import reverse

from complaints.services.lifecycle import complaint_record
from complaints.services.merge import complaint_merge
from tests.complaints.api.conftest import resolve

URL = reverse("complaints_api:track")
UNKNOWN_NUMBER = "2099010100000000"


@pytest.fixture
def complaint(submit):
    return submit(resident_email="zhang@example.invalid")


def _track(api, number, last4="8000"):
    return api.post(URL, {"tracking_number": number, "phone_last4": last4}, format="json")


def test_the_right_pair_shows_the_public_view(api, complaint):
    response = _track(api, complaint.tracking_number)

    assert response.status_code == 200, response.content
    view = response.json()
    assert view["tracking_number"] == complaint.tracking_number
    assert (view["status"], view["status_display"]) == ("assigned", "Assigned")
    assert "sent to the unit responsible" in view["status_help"]
    assert view["category"] == "噪声扰民 / 施工噪声"
    assert view["place"] == ["东城区", "东华门街道", "多福巷社区"]
    assert view["description"] == "凌晨两点还在施工，噪声很大"
    assert [event["kind"] for event in view["timeline"]] == ["submitted", "assigned"]
    assert set(view["timeline"][0]) == {"kind", "kind_display", "text", "actor_label", "public", "created_at"}
    # Rendered in the request's language; the unit keeps its own name.
    assigned = view["timeline"][1]
    assert (assigned["text"], assigned["actor_label"], assigned["public"]) == (
        "Assigned to 东华门街道办事处.",
        "12345 centre",
        True,
    )
    assert view["timeline"][0]["created_at"].endswith("+08:00")
    assert (view["can_rate"], view["lead"], view["rejected_reason"]) == (False, None, "")


def test_the_view_has_no_personal_data_and_no_internal_notes(api, complaint):
    complaint_record(complaint=complaint, kind="note", message="内部备注：施工方是区重点工程", is_public=False)

    text = _track(api, complaint.tracking_number).content.decode()

    for secret in ("张三", "13800138000", "zhang@example.invalid", "内部备注"):
        assert secret not in text


def test_spaces_and_dashes_in_the_number_are_ignored(api, complaint):
    n = complaint.tracking_number

    assert _track(api, f"{n[:4]} {n[4:8]}-{n[8:12]} {n[12:]}").status_code == 200


def test_a_wrong_pair_and_an_unknown_number_get_the_same_404(api, complaint):
    wrong_pair = _track(api, complaint.tracking_number, last4="1234")
    unknown = _track(api, UNKNOWN_NUMBER, last4="1234")

    assert wrong_pair.status_code == unknown.status_code == 404
    assert wrong_pair.content == unknown.content
    assert wrong_pair.json() == {"code": "not_found", "detail": "Not found."}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"phone_last4": "8000"}, "tracking_number"),
        ({"tracking_number": "", "phone_last4": "8000"}, "tracking_number"),
        ({"tracking_number": "1" * 41, "phone_last4": "8000"}, "tracking_number"),
        ({"tracking_number": ["2026"], "phone_last4": "8000"}, "tracking_number"),
        ({"tracking_number": "2026"}, "phone_last4"),
        ({"tracking_number": "2026", "phone_last4": "80a0"}, "phone_last4"),
        ({"tracking_number": "2026", "phone_last4": "800"}, "phone_last4"),
        ({"tracking_number": "2026", "phone_last4": "80000"}, "phone_last4"),
    ],
)
def test_malformed_input_is_a_400_on_its_field(api, complaint, data, field):
    response = api.post(URL, data, format="json")

    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_malformed_json_is_a_400(api, complaint):
    response = api.generic("POST", URL, b'{"tracking_number": ', content_type="application/json")

    assert (response.status_code, response.json()["code"]) == (400, "parse_error")


def test_the_digits_are_never_taken_from_the_url(api, complaint):
    response = api.get(URL, {"tracking_number": complaint.tracking_number, "phone_last4": "8000"})

    assert response.status_code == 405


def test_a_resolved_complaint_can_be_rated(api, complaint, people):
    resolve(complaint, people)

    view = _track(api, complaint.tracking_number).json()

    assert view["status"] == "resolved"
    assert view["can_rate"] is True
    assert "已责令施工方夜间停工" in [event["text"] for event in view["timeline"]]


def test_a_rejected_complaint_says_why(api, complaint):
    complaint_record(complaint=complaint, kind="rejected", message="不属于受理范围", data={"reason": "属于司法程序"})
    complaint.status = "rejected"
    complaint.save(update_fields=["status"])

    assert _track(api, complaint.tracking_number).json()["rejected_reason"] == "属于司法程序"


@pytest.fixture
def follower(submit, people):
    """李四's report merged into 张三's, whose order is resolved and rated by 张三."""
    lead = submit()
    follower = submit(resident_name="李四", resident_phone="13900139000")
    complaint_merge(follower_id=follower.pk, lead_id=lead.pk)
    return lead, follower


def test_a_merged_complaint_shows_the_leads_progress_but_not_its_resident(api, follower, people):
    lead, mine = follower
    resolve(lead, people)

    view = _track(api, mine.tracking_number, last4="9000").json()

    assert view["status"] == "merged"
    assert view["lead"]["tracking_number"] == lead.tracking_number
    assert view["lead"]["status"] == "resolved"
    assert "solved for you too" in view["lead"]["status_help"]
    kinds = [event["kind"] for event in view["lead"]["timeline"]]
    assert "resolved" in kinds and "contacted" not in kinds
    assert view["can_rate"] is True and view["lead"]["rated"] is False
    text = _track(api, mine.tracking_number, last4="9000").content.decode()
    for secret in ("张三", "13800138000", "电话联系了张先生"):
        assert secret not in text


def test_a_merged_complaint_cannot_be_rated_before_the_lead_has_a_result(api, follower):
    _lead, mine = follower

    view = _track(api, mine.tracking_number, last4="9000").json()

    assert view["can_rate"] is False and view["lead"]["status"] == "assigned"


def test_tracking_costs_a_fixed_number_of_queries(api, complaint, django_assert_num_queries):
    for n in range(5):
        complaint_record(complaint=complaint, kind="note", message=f"进展 {n}")

    # The complaint with category and place, the city above the district, the timeline,
    # the names of the units it mentions (one query, however many lines), its photos.
    with django_assert_num_queries(5):
        assert _track(api, complaint.tracking_number).status_code == 200


def test_a_followers_tracking_costs_a_fixed_number_of_queries(api, follower, people, django_assert_num_queries):
    lead, mine = follower
    resolve(lead, people)
    for n in range(5):
        complaint_record(complaint=lead, kind="note", message=f"进展 {n}")

    # As above, plus the lead, its timeline, its units' names and whether this resident has rated.
    with django_assert_num_queries(9):
        assert _track(api, mine.tracking_number, last4="9000").status_code == 200
