"""Rejecting an order as out of scope (不予受理): the resident reads the reason."""

import pytest
from django.urls import reverse

from complaints.selectors import public_timeline
from dispatch.models import AssignmentStatus, TriageItem
from dispatch.services.assignments import assignment_accept
from dispatch.services.returns import assignment_return
from dispatch.services.triage import triage_reject
from portal.errors import ActionRefused, ChangedBySomeoneElse

REASON = "属于民事纠纷，请通过法院诉讼解决"


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def unrouted(submit):
    return submit(category="other_misc")


def reject_url(complaint):
    return reverse("dispatch:reject", args=[complaint.tracking_number])


def open_triage(complaint):
    return TriageItem.objects.filter(complaint=complaint, closed_at__isnull=True).exists()


def test_rejecting_from_triage_shows_the_reason_to_the_resident(client, people, unrouted):
    client.force_login(people["dispatcher"])
    page = client.get(reverse("dispatch:order", args=[unrouted.tracking_number]))
    assert "reject_form" in page.context
    response = client.post(reject_url(unrouted), {"reason": REASON, "version": unrouted.version}, follow=True)
    assert "Rejected. The resident can read the reason." in response.content.decode()
    unrouted.refresh_from_db()
    assert unrouted.status == "rejected"
    assert not open_triage(unrouted)
    [event] = [e for e in public_timeline(complaint=unrouted) if e.kind == "rejected"]
    assert REASON in event.message

    client.logout()
    client.post(reverse("complaints:track"), {"tracking_number": unrouted.tracking_number, "phone_last4": "8000"})
    tracking = client.get(reverse("complaints:track_detail", args=[unrouted.tracking_number])).content.decode()
    assert REASON in tracking
    assert "reason-rejected" in tracking


def test_rejecting_an_unsigned_order_supersedes_its_assignment(submit, people):
    complaint = submit()
    triage_reject(user=people["dispatcher"], complaint_id=complaint.pk, reason=REASON, version=complaint.version)
    assignment = complaint.assignments.get()
    assert assignment.status == AssignmentStatus.SUPERSEDED
    assert (assignment.next_due, assignment.next_alert_at) == (None, None)
    complaint.refresh_from_db()
    assert complaint.status == "rejected"


def test_a_returned_order_can_be_rejected(submit, people):
    complaint = submit()
    assignment_return(
        user=people["donghuamen_handler"], assignment_id=complaint.assignments.get().pk, reason="other", note="非本辖区"
    )
    complaint.refresh_from_db()
    triage_reject(user=people["dispatcher"], complaint_id=complaint.pk, reason=REASON, version=complaint.version)
    complaint.refresh_from_db()
    assert complaint.status == "rejected"
    assert not open_triage(complaint)


def test_rejecting_after_sign_for_is_refused(client, submit, people):
    complaint = submit()
    assignment = complaint.assignments.get()
    assignment_accept(user=people["donghuamen_handler"], assignment_id=assignment.pk)
    complaint.refresh_from_db()
    with pytest.raises(ActionRefused, match="Only an order no unit has signed for can be rejected"):
        triage_reject(user=people["dispatcher"], complaint_id=complaint.pk, reason=REASON, version=complaint.version)
    client.force_login(people["dispatcher"])
    page = client.get(reverse("dispatch:order", args=[complaint.tracking_number]))
    assert "reject_form" not in page.context
    response = client.post(reject_url(complaint), {"reason": REASON, "version": complaint.version}, follow=True)
    assert "Only an order no unit has signed for can be rejected" in response.content.decode()
    complaint.refresh_from_db()
    assignment.refresh_from_db()
    assert (complaint.status, assignment.status) == ("accepted", "accepted")


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_empty_reason_is_refused(client, people, unrouted, reason):
    with pytest.raises(ActionRefused, match="Say why the order cannot be accepted"):
        triage_reject(user=people["dispatcher"], complaint_id=unrouted.pk, reason=reason, version=unrouted.version)
    client.force_login(people["dispatcher"])
    response = client.post(reject_url(unrouted), {"reason": reason, "version": unrouted.version}, follow=True)
    assert "Say why the order cannot be accepted" in response.content.decode()
    unrouted.refresh_from_db()
    assert unrouted.status == "submitted" and open_triage(unrouted)


def test_a_too_long_reason_is_refused(people, unrouted):
    with pytest.raises(ActionRefused, match="Keep it under 1000 characters"):
        triage_reject(user=people["dispatcher"], complaint_id=unrouted.pk, reason="x" * 1001, version=unrouted.version)
    unrouted.refresh_from_db()
    assert unrouted.status == "submitted"


def test_a_stale_version_is_refused(people, unrouted):
    with pytest.raises(ChangedBySomeoneElse):
        triage_reject(user=people["dispatcher"], complaint_id=unrouted.pk, reason=REASON, version=unrouted.version + 1)
    unrouted.refresh_from_db()
    assert unrouted.status == "submitted"


@pytest.mark.parametrize("who", ["donghuamen_handler", "dongcheng_supervisor", "nobody"])
def test_non_dispatcher_cannot_reject_through_the_service(people, submit, who):
    complaint = submit()
    with pytest.raises(ActionRefused, match="Only the 12345 centre can reject an order."):
        triage_reject(user=people[who], complaint_id=complaint.pk, reason=REASON, version=complaint.version)
    complaint.refresh_from_db()
    assert complaint.status == "assigned"


def test_handler_cannot_reject_through_the_page(client, people, submit):
    complaint = submit()  # with 东华门: its handler sees the order
    client.force_login(people["donghuamen_handler"])
    response = client.post(reject_url(complaint), {"reason": REASON, "version": complaint.version}, follow=True)
    assert "Only the 12345 centre can reject an order." in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == "assigned"


def test_someone_without_reach_gets_not_found(client, people, unrouted):
    client.force_login(people["donghuamen_handler"])
    assert client.post(reject_url(unrouted), {"reason": REASON, "version": unrouted.version}).status_code == 404
    client.force_login(people["nobody"])
    assert client.post(reject_url(unrouted), {"reason": REASON, "version": unrouted.version}).status_code == 404
    unrouted.refresh_from_db()
    assert unrouted.status == "submitted"
