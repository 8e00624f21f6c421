"""POST /api/v1/complaints/rate/: the resident's verdict through the API, by the
same services as the tracking page."""

import pytest
from django.urls import reverse

from complaints.models import Complaint, Rating
from complaints.services.merge import complaint_merge
from tests.complaints.api.conftest import resolve

URL = reverse("complaints_api:rate")


@pytest.fixture
def complaint(submit):
    return submit()


@pytest.fixture
def resolved(complaint, people):
    return resolve(complaint, people)


def _rate(api, complaint, last4="8000", **overrides):
    data = {
        "tracking_number": complaint.tracking_number,
        "phone_last4": last4,
        "solved": True,
        "satisfaction": "satisfied",
        "comment": "处理及时",
    }
    data.update(overrides)
    return api.post(URL, {k: v for k, v in data.items() if v is not ...}, format="json")


def test_a_satisfied_resident_closes_the_complaint(api, resolved):
    response = _rate(api, resolved)

    assert response.status_code == 201, response.content
    assert response.json()["status"] == "closed"
    assert (response.json()["round"], response.json()["satisfaction"]) == (1, "satisfied")
    resolved.refresh_from_db()
    assert resolved.status == "closed"
    assert Rating.objects.get(complaint=resolved).comment == "处理及时"


def test_an_unsatisfied_resident_reopens_it_to_the_same_unit(api, resolved, units):
    response = _rate(api, resolved, solved=False, satisfaction="unsatisfied")

    assert response.status_code == 201
    resolved.refresh_from_db()
    assert response.json()["status"] == resolved.status
    assert resolved.status in ("reopened", "assigned")
    assert resolved.assignments.order_by("-pk").first().unit == units["donghuamen"]


def test_a_complaint_not_yet_resolved_cannot_be_rated(api, complaint):
    response = _rate(api, complaint)

    assert response.status_code == 400
    assert response.json() == {"code": "refused", "detail": "Only a resolved complaint can be rated."}
    assert not Rating.objects.exists()


def test_a_complaint_is_rated_once(api, resolved):
    _rate(api, resolved)

    again = _rate(api, resolved, satisfaction="unsatisfied")

    assert again.status_code == 400 and again.json()["code"] == "refused"
    assert Rating.objects.count() == 1
    assert Complaint.objects.get().status == "closed"


def test_a_wrong_pair_and_an_unknown_number_get_the_same_404(api, resolved):
    wrong = _rate(api, resolved, last4="1234")
    resolved.tracking_number = "2099010100000000"
    unknown = _rate(api, resolved, last4="1234")

    assert wrong.status_code == unknown.status_code == 404
    assert wrong.content == unknown.content
    assert not Rating.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"satisfaction": "delighted"}, "satisfaction"),
        ({"satisfaction": ...}, "satisfaction"),
        ({"solved": ...}, "solved"),
        ({"solved": "maybe"}, "solved"),
        ({"comment": "字" * 1001}, "comment"),
        ({"comment": 5}, "comment"),
        ({"phone_last4": "12"}, "phone_last4"),
    ],
)
def test_bad_input_is_a_400_and_rates_nothing(api, resolved, overrides, field):
    response = _rate(api, resolved, **overrides)

    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not Rating.objects.exists()
    resolved.refresh_from_db()
    assert resolved.status == "resolved"


@pytest.fixture
def merged(submit, people):
    lead = submit()
    follower = submit(resident_name="李四", resident_phone="13900139000")
    complaint_merge(follower_id=follower.pk, lead_id=lead.pk)
    return lead, follower


def test_a_followers_resident_rates_the_leads_result_once(api, merged, people):
    lead, follower = merged
    early = _rate(api, follower, last4="9000")
    assert early.status_code == 400
    assert "once the order it was merged into is resolved" in early.json()["detail"]
    resolve(lead, people)

    first = _rate(api, follower, last4="9000", satisfaction="unsatisfied", solved=False)
    again = _rate(api, follower, last4="9000")

    assert first.status_code == 201 and first.json()["status"] == "merged"
    assert again.status_code == 400 and "already rated" in again.json()["detail"]
    lead.refresh_from_db()
    # The lead's own resident decides whether the lead reopens.
    assert lead.status == "resolved"
    assert Rating.objects.filter(complaint=follower).count() == 1
    assert "张三" not in first.content.decode() and lead.tracking_number not in first.content.decode()
