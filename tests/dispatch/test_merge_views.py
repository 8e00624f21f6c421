"""Duplicates in the browser: the order page's list and merge button, the merge
and unmerge doors, the follower's resident page and rating, and the intake
form's optional map pin."""

import uuid
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from complaints.models import Complaint, ComplaintStatus, Rating
from dispatch.models import AssignmentStatus
from dispatch.services.assignments import (
    assignment_accept,
    assignment_add_note,
    assignment_record_contact,
    assignment_resolve,
)
from dispatch.services.merge import order_merge

S = ComplaintStatus


@pytest.fixture
def pair(submit, people):
    lead = submit(description="工地凌晨两点还在打桩", resident_name="王五", resident_phone="13700137000")
    follower = submit(description="隔壁工地夜间施工", resident_name="李四", resident_phone="13900139000")
    return lead, follower


def url(name, complaint):
    return reverse(f"dispatch:{name}", args=[complaint.tracking_number])


def merge_post(client, follower, lead, version=None):
    data = {"lead": lead.tracking_number, "version": version or follower.version}
    return client.post(url("merge", follower), data, follow=True)


def test_the_dispatcher_sees_possible_duplicates_and_merges_from_the_order_page(pair, people, as_user):
    lead, follower = pair
    dispatcher = as_user(people["dispatcher"])
    page = dispatcher.get(url("order", follower))
    html = page.content.decode()
    assert [c.complaint for c in page.context["duplicates"]] == [lead]
    assert "Possible duplicates" in html and "Merge into this order" in html
    response = merge_post(dispatcher, follower, lead)
    assert f"Merged into order {lead.tracking_number}." in response.content.decode()
    follower.refresh_from_db()
    assert follower.status == S.MERGED and follower.merged_into == lead
    assert response.context["unmerge_form"] is not None
    lead_page = dispatcher.get(url("order", lead))
    assert [f.pk for f in lead_page.context["followers"]] == [follower.pk]


def test_the_handling_unit_sees_the_duplicates_but_cannot_merge(pair, people, as_user):
    lead, follower = pair
    handler = as_user(people["donghuamen_handler"])
    page = handler.get(url("order", follower))
    assert [c.complaint for c in page.context["duplicates"]] == [lead]
    assert not page.context["can_merge"]
    assert "Merge into this order" not in page.content.decode()
    response = merge_post(handler, follower, lead)
    assert "Only the 12345 centre can merge orders." in response.content.decode()
    follower.refresh_from_db()
    assert follower.status == S.ASSIGNED and follower.merged_into is None


def test_a_supervisor_does_not_get_the_duplicates_panel_and_a_stranger_gets_404(pair, people, as_user):
    lead, follower = pair
    page = as_user(people["dongcheng_supervisor"]).get(url("order", follower))
    assert page.status_code == 200 and "duplicates" not in page.context
    assert merge_post(as_user(people["nobody"]), follower, lead).status_code == 404
    assert merge_post(as_user(people["jingshan_handler"]), follower, lead).status_code == 404
    follower.refresh_from_db()
    assert follower.status == S.ASSIGNED


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("itself", "An order cannot be merged into itself."),
        ("closed", "merge only into an open order"),
        ("other_category", "Only orders of the same category can be merged."),
    ],
)
def test_refused_merges_show_the_reason_and_change_nothing(submit, pair, people, as_user, target, message):
    lead, follower = pair
    if target == "itself":
        lead = follower
    elif target == "closed":
        Complaint.objects.filter(pk=lead.pk).update(status=S.CLOSED)
    else:
        lead = submit(category="noise_neighbour")
    version = follower.version
    response = merge_post(as_user(people["dispatcher"]), follower, lead)
    assert message in response.content.decode()
    follower.refresh_from_db()
    assert (follower.status, follower.version, follower.merged_into_id) == (S.ASSIGNED, version, None)


def test_a_stale_merge_button_is_refused(pair, people, as_user):
    lead, follower = pair
    response = merge_post(as_user(people["dispatcher"]), follower, lead, version=follower.version + 5)
    assert "changed by someone else" in response.content.decode()
    follower.refresh_from_db()
    assert follower.status == S.ASSIGNED


def test_the_dispatcher_undoes_a_merge_and_the_order_waits_in_triage(pair, people, as_user):
    lead, follower = pair
    order_merge(user=people["dispatcher"], follower_id=follower.pk, lead_number=lead.tracking_number)
    follower.refresh_from_db()
    handler_response = as_user(people["dongcheng_supervisor"]).post(
        url("unmerge", follower), {"version": follower.version}, follow=True
    )
    assert "Only the 12345 centre can undo a merge." in handler_response.content.decode()
    dispatcher = as_user(people["dispatcher"])
    response = dispatcher.post(url("unmerge", follower), {"version": follower.version}, follow=True)
    assert "The merge is undone; the order waits in triage." in response.content.decode()
    follower.refresh_from_db()
    assert (follower.status, follower.merged_into_id) == (S.SUBMITTED, None)
    triage = dispatcher.get(reverse("dispatch:triage"))
    assert follower.tracking_number in triage.content.decode()


def _grant(client, complaint, last4):
    response = client.post(
        reverse("complaints:track"), {"tracking_number": complaint.tracking_number, "phone_last4": last4}
    )
    assert response.status_code == 303


def _resident(complaint, last4="9000"):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    _grant(client, complaint, last4)
    return client


def _resolve(lead, people):
    handler = people["donghuamen_handler"]
    assignment = lead.assignments.get(status=AssignmentStatus.ASSIGNED)
    assignment_accept(user=handler, assignment_id=assignment.pk)
    assignment_record_contact(user=handler, assignment_id=assignment.pk, note="电话联系了王五先生 13700137000")
    assignment_add_note(user=handler, assignment_id=assignment.pk, note="内部：施工方是区重点工程")
    assignment_resolve(user=handler, assignment_id=assignment.pk, reply="已责令施工方夜间停工")


def test_the_followers_resident_sees_the_leads_progress_but_not_its_resident_or_notes(pair, people):
    lead, follower = pair
    order_merge(user=people["dispatcher"], follower_id=follower.pk, lead_number=lead.tracking_number)
    _resolve(lead, people)
    resident = _resident(follower)
    page = resident.get(reverse("complaints:track_detail", args=[follower.tracking_number]))
    html = page.content.decode()
    assert f"This matter is handled together with order {lead.tracking_number}" in html
    assert "已责令施工方夜间停工" in html  # the lead's public reply
    assert "隔壁工地夜间施工" in html  # the follower's own description
    for secret in (
        "内部：施工方是区重点工程",
        "王五",
        "13700137000",
        "工地凌晨两点还在打桩",
        "was merged into this one",
    ):
        assert secret not in html
    assert page.context["can_rate"]


def test_the_followers_resident_rates_once_the_lead_resolves(pair, people):
    lead, follower = pair
    order_merge(user=people["dispatcher"], follower_id=follower.pk, lead_number=lead.tracking_number)
    resident = _resident(follower)
    rate_url = reverse("complaints:rate", args=[follower.tracking_number])
    early = resident.post(rate_url, {"solved": "yes", "satisfaction": "satisfied"}, follow=True)
    assert "You can rate once the order it was merged into is resolved." in early.content.decode()
    assert not early.context["can_rate"]
    _resolve(lead, people)
    response = resident.post(rate_url, {"solved": "no", "satisfaction": "unsatisfied"}, follow=True)
    assert "The unit handling the order has been told." in response.content.decode()
    assert Rating.objects.get(complaint=follower).satisfaction == "unsatisfied"
    follower.refresh_from_db()
    lead.refresh_from_db()
    assert (follower.status, lead.status) == (S.MERGED, S.RESOLVED)
    again = resident.post(rate_url, {"solved": "yes", "satisfaction": "satisfied"}, follow=True)
    assert Rating.objects.filter(complaint=follower).count() == 1
    assert "You have rated the result. Thank you." in again.content.decode()


@pytest.fixture
def form_data(beijing, categories, rules):
    def _data(**overrides):
        data = {
            "category": str(categories["noise_construction"].pk),
            "district": "110101",
            "street": "110101001",
            "community": "110101001001",
            "address": "东华门大街 1 号",
            "description": "凌晨两点还在施工，噪声很大",
            "resident_name": "张三",
            "resident_phone": "13800138000",
            "submission_token": str(uuid.uuid4()),
        }
        data.update(overrides)
        return data

    return _data


@pytest.mark.parametrize(
    ("lat", "lng"),
    [("91", "116.4"), ("39.9", "-180.5"), ("39.9", ""), ("", "116.4"), ("north", "116.4"), ("nan", "116.4")],
)
def test_a_bad_map_pin_is_refused_on_the_intake_form(client, form_data, lat, lng):
    response = client.post(
        reverse("complaints:file"), form_data(latitude=lat, longitude=lng), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "Your location could not be read. Remove it or try again." in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_map_pin_is_stored_rounded_to_six_decimals(client, form_data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("complaints:file"),
            form_data(latitude="39.91512345678", longitude="116.4040001"),
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 303
    complaint = Complaint.objects.get()
    assert (complaint.latitude, complaint.longitude) == (Decimal("39.915123"), Decimal("116.404000"))


def test_the_intake_form_offers_the_location_button(client, form_data):
    html = client.get(reverse("complaints:file"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Use my location" in html and 'name="latitude"' in html
