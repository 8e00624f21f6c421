"""The resident rates a resolved complaint: satisfied closes it, not satisfied
sends it back to the same unit."""

import pytest
from django.test import Client
from django.urls import reverse

from complaints.models import Rating
from dispatch.models import Assignment
from dispatch.services.assignments import assignment_accept, assignment_record_contact, assignment_resolve


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def complaint(submit):
    return submit()


@pytest.fixture
def resolved(complaint, people):
    """The complaint worked to `resolved` by 东华门街道 the way its handler would."""
    handler = people["donghuamen_handler"]
    assignment = complaint.assignments.get()
    assignment_accept(user=handler, assignment_id=assignment.pk)
    assignment_record_contact(user=handler, assignment_id=assignment.pk, note="电话联系了张先生")
    assignment_resolve(user=handler, assignment_id=assignment.pk, reply="已责令施工方夜间停工")
    complaint.refresh_from_db()
    assert complaint.status == "resolved"
    return complaint


def _grant(client, complaint):
    response = client.post(
        reverse("complaints:track"), {"tracking_number": complaint.tracking_number, "phone_last4": "8000"}
    )
    assert response.status_code == 303


def _rate(client, complaint, **data):
    return client.post(reverse("complaints:rate", args=[complaint.tracking_number]), data)


def _detail(client, complaint):
    return client.get(reverse("complaints:track_detail", args=[complaint.tracking_number]))


def test_resolved_complaint_offers_the_rating_form_and_shows_the_reply(client, resolved):
    _grant(client, resolved)

    html = _detail(client, resolved).content.decode()

    assert f'action="{reverse("complaints:rate", args=[resolved.tracking_number])}"' in html
    for value in ("satisfied", "basically", "unsatisfied"):
        assert f'name="satisfaction" value="{value}"' in html
    assert 'name="solved" value="yes"' in html and 'name="solved" value="no"' in html
    assert "已责令施工方夜间停工" in html
    # The note recorded with the contact is internal.
    assert "电话联系了张先生" not in html


def test_rating_before_resolution_is_refused_and_changes_nothing(client, complaint):
    _grant(client, complaint)

    response = _rate(client, complaint, solved="yes", satisfaction="satisfied")

    assert response.status_code == 303
    complaint.refresh_from_db()
    assert complaint.status == "assigned"
    assert not Rating.objects.exists()
    assert "Only a resolved complaint can be rated." in _detail(client, complaint).content.decode()


@pytest.mark.parametrize("satisfaction", ["satisfied", "basically"])
def test_satisfied_resident_closes_the_complaint(client, resolved, satisfaction):
    _grant(client, resolved)

    response = _rate(client, resolved, solved="yes", satisfaction=satisfaction, comment="谢谢，晚上安静了")

    assert response.status_code == 303
    resolved.refresh_from_db()
    assert resolved.status == "closed"
    rating = Rating.objects.get(complaint=resolved)
    assert (rating.solved, rating.satisfaction, rating.comment) == (True, satisfaction, "谢谢，晚上安静了")
    html = client.get(response["Location"]).content.decode()
    assert "Thank you for your rating. Your complaint is now closed." in html
    assert 'name="satisfaction"' not in html


def test_unsatisfied_resident_reopens_it_to_the_same_unit(client, resolved, units):
    _grant(client, resolved)

    response = _rate(client, resolved, solved="no", satisfaction="unsatisfied", comment="还是很吵")

    resolved.refresh_from_db()
    assert resolved.reopen_count == 1
    assert resolved.status == "assigned"
    live = Assignment.objects.get(complaint=resolved, status="assigned")
    assert live.unit == units["donghuamen"]
    assert live.reason == "reopened"
    assert Rating.objects.get(complaint=resolved).solved is False
    html = client.get(response["Location"]).content.decode()
    assert "Your complaint is reopened and has gone back to the unit" in html


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"solved": "yes", "satisfaction": "ecstatic"}, "satisfaction", "Choose how satisfied you are."),
        ({"solved": "yes"}, "satisfaction", "Choose how satisfied you are."),
        ({"satisfaction": "satisfied"}, "solved", "Tell us whether the problem is solved."),
        ({"solved": "maybe", "satisfaction": "satisfied"}, "solved", "Select a valid choice."),
        ({"solved": "yes", "satisfaction": "satisfied", "comment": "吵" * 1001}, "comment", "at most 1000"),
    ],
)
def test_invalid_rating_is_explained_and_changes_nothing(client, resolved, data, field, message):
    _grant(client, resolved)

    response = _rate(client, resolved, **data)

    assert response.status_code == 200
    assert any(message in error for error in response.context["rating_form"].errors[field])
    assert f'id="id_{field}_error"' in response.content.decode()
    resolved.refresh_from_db()
    assert resolved.status == "resolved"
    assert not Rating.objects.exists()


def test_a_complaint_is_rated_once(client, resolved):
    _grant(client, resolved)
    _rate(client, resolved, solved="yes", satisfaction="satisfied")

    response = _rate(client, resolved, solved="no", satisfaction="unsatisfied")

    assert Rating.objects.count() == 1
    resolved.refresh_from_db()
    assert resolved.status == "closed"
    assert "Only a resolved complaint can be rated." in client.get(response["Location"]).content.decode()


def test_rating_needs_the_browser_to_have_proved_the_number(client, resolved):
    response = Client().post(
        reverse("complaints:rate", args=[resolved.tracking_number]), {"solved": "yes", "satisfaction": "satisfied"}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("complaints:track"))
    resolved.refresh_from_db()
    assert resolved.status == "resolved"
    assert not Rating.objects.exists()


def test_rating_is_post_only(client, resolved):
    _grant(client, resolved)
    assert client.get(reverse("complaints:rate", args=[resolved.tracking_number])).status_code == 405
