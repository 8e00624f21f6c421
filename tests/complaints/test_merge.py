"""Merging a duplicate into a lead order and undoing it, through the services:
the follower's state, links and timeline, its assignment and triage item, every
refusal, and the follower's resident rating the lead's result."""

import pytest
from django.utils import translation

from complaints.models import Complaint, ComplaintStatus, Rating, Satisfaction
from complaints.services.merge import complaint_merge, complaint_rate_follower
from complaints.timeline import RESIDENT, STAFF, event_text
from dispatch.models import AssignmentStatus, TriageItem, TriageReason
from dispatch.services.assignments import assignment_accept, assignment_record_contact, assignment_resolve
from dispatch.services.merge import order_merge, order_unmerge
from dispatch.services.routing import complaint_route
from dispatch.services.triage import triage_dispatch
from portal.errors import ActionRefused, ChangedBySomeoneElse

S = ComplaintStatus


@pytest.fixture
def pair(submit, people):
    """Two reports of the same night-time construction at 多福巷, both routed to 东华门街道."""
    return submit(), submit(resident_name="李四", resident_phone="13900139000")


def resolve(complaint, people):
    handler = people["donghuamen_handler"]
    assignment = complaint.assignments.get(status=AssignmentStatus.ASSIGNED)
    assignment_accept(user=handler, assignment_id=assignment.pk)
    assignment_record_contact(user=handler, assignment_id=assignment.pk, note="电话联系了张先生")
    assignment_resolve(user=handler, assignment_id=assignment.pk, reply="已责令施工方夜间停工")
    complaint.refresh_from_db()


def snapshot(*complaints):
    rows = []
    for complaint in complaints:
        complaint.refresh_from_db()
        rows.append(
            (
                complaint.status,
                complaint.version,
                complaint.merged_into_id,
                complaint.events.count(),
                [(a.status, a.version) for a in complaint.assignments.order_by("pk")],
                complaint.triage_items.filter(closed_at__isnull=True).count(),
            )
        )
    return rows


def test_merge_makes_the_new_order_a_follower_and_stops_its_assignment(pair, people):
    lead, follower = pair
    order_merge(
        user=people["dispatcher"], follower_id=follower.pk, lead_number=lead.tracking_number, version=follower.version
    )
    follower.refresh_from_db()
    assert (follower.status, follower.merged_into_id, follower.merged_from_status) == (S.MERGED, lead.pk, S.ASSIGNED)
    assert list(lead.followers.all()) == [follower]
    assignment = follower.assignments.get()
    assert (assignment.status, assignment.next_due, assignment.next_alert_at) == (
        AssignmentStatus.SUPERSEDED,
        None,
        None,
    )
    event = follower.events.latest("id")
    assert event.is_public and event.kind == "merged"
    assert event.data == {
        "fact": "merged",
        "by": "centre",
        "lead_id": lead.pk,
        "number": lead.tracking_number,
        "from_status": S.ASSIGNED,
    }
    with translation.override("zh-hans"):
        assert event_text(event, audience=RESIDENT) == f"已合并至工单 {lead.tracking_number}，您可在此查看其办理进度。"
    with translation.override("en"):
        assert event_text(event, audience=STAFF) == f"Merged into order {lead.tracking_number}."
    note = lead.events.latest("id")
    assert not note.is_public and note.data["fact"] == "merged_lead"
    with translation.override("en"):
        assert event_text(note, audience=STAFF) == f"Order {follower.tracking_number} was merged into this one."
    # The lead is untouched otherwise.
    lead.refresh_from_db()
    assert lead.status == S.ASSIGNED and lead.assignments.get().status == AssignmentStatus.ASSIGNED


def test_merge_closes_the_followers_triage_item(submit, people):
    lead = submit(category="other_misc")
    follower = submit(category="other_misc")
    assert follower.triage_items.filter(closed_at__isnull=True).exists()
    order_merge(user=people["dispatcher"], follower_id=follower.pk, lead_number=lead.tracking_number)
    item = follower.triage_items.get()
    assert item.closed_at is not None and item.closed_by == people["dispatcher"]


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("itself", "cannot be merged into itself"),
        ("closed_lead", "merge only into an open order"),
        ("rejected_lead", "merge only into an open order"),
        ("other_category", "same category"),
        ("lead_is_follower", "merge only into an open order"),
        ("follower_leads", "cannot follow another order"),
        ("already_merged", "already merged"),
        ("unknown_lead", "no order with that tracking number"),
        ("signed_for", "cannot become"),
    ],
)
def test_bad_merges_are_refused_and_change_nothing(submit, pair, people, setup, message):
    lead, follower = pair
    number = lead.tracking_number
    if setup == "itself":
        number = follower.tracking_number
    elif setup in ("closed_lead", "rejected_lead"):
        Complaint.objects.filter(pk=lead.pk).update(status=S.CLOSED if setup == "closed_lead" else S.REJECTED)
    elif setup == "other_category":
        number = submit(category="noise_neighbour").tracking_number
    elif setup == "lead_is_follower":
        other = submit()
        order_merge(user=people["dispatcher"], follower_id=lead.pk, lead_number=other.tracking_number)
    elif setup == "follower_leads":
        order_merge(user=people["dispatcher"], follower_id=submit().pk, lead_number=follower.tracking_number)
    elif setup == "already_merged":
        order_merge(user=people["dispatcher"], follower_id=follower.pk, lead_number=submit().tracking_number)
    elif setup == "unknown_lead":
        number = "20990101000000"
    elif setup == "signed_for":
        assignment_accept(user=people["donghuamen_handler"], assignment_id=follower.assignments.get().pk)
    before = snapshot(lead, follower)
    with pytest.raises(ActionRefused, match=message):
        order_merge(user=people["dispatcher"], follower_id=follower.pk, lead_number=number)
    assert snapshot(lead, follower) == before


def test_only_the_centre_merges(pair, people):
    lead, follower = pair
    before = snapshot(lead, follower)
    for who in ("donghuamen_handler", "dongcheng_supervisor", "nobody"):
        with pytest.raises(ActionRefused, match="Only the 12345 centre can merge"):
            order_merge(user=people[who], follower_id=follower.pk, lead_number=lead.tracking_number)
    assert snapshot(lead, follower) == before


def test_a_stale_page_cannot_merge(pair, people):
    lead, follower = pair
    with pytest.raises(ChangedBySomeoneElse):
        order_merge(
            user=people["dispatcher"],
            follower_id=follower.pk,
            lead_number=lead.tracking_number,
            version=follower.version - 1,
        )
    follower.refresh_from_db()
    assert follower.status == S.ASSIGNED


def test_unmerge_sends_the_follower_back_to_triage_to_be_dispatched_on_its_own(pair, people, units):
    lead, follower = pair
    order_merge(user=people["dispatcher"], follower_id=follower.pk, lead_number=lead.tracking_number)
    order_unmerge(user=people["dispatcher"], follower_id=follower.pk)
    follower.refresh_from_db()
    assert (follower.status, follower.merged_into_id, follower.merged_from_status) == (S.SUBMITTED, None, "")
    item = follower.triage_items.get(closed_at__isnull=True)
    assert item.reason == TriageReason.DISPUTED
    assert follower.events.latest("id").is_public
    separated = lead.events.latest("id")
    assert separated.data["fact"] == "unmerged_lead" and not separated.is_public
    with translation.override("zh-hans"):
        assert "撤销合并" in event_text(separated, audience=STAFF)
    # The routing sweep leaves it to a person; the centre dispatches it.
    assert complaint_route(complaint_id=follower.pk) == "in_triage"
    triage_dispatch(user=people["dispatcher"], complaint_id=follower.pk, unit_id=units["donghuamen"].pk)
    follower.refresh_from_db()
    assert follower.status == S.ASSIGNED
    assert not TriageItem.objects.filter(complaint=follower, closed_at__isnull=True).exists()


def test_unmerge_is_refused_for_an_order_that_is_not_merged_and_for_non_dispatchers(pair, people):
    lead, follower = pair
    with pytest.raises(ActionRefused, match="not merged"):
        order_unmerge(user=people["dispatcher"], follower_id=follower.pk)
    order_merge(user=people["dispatcher"], follower_id=follower.pk, lead_number=lead.tracking_number)
    before = snapshot(lead, follower)
    with pytest.raises(ActionRefused, match="Only the 12345 centre can undo"):
        order_unmerge(user=people["donghuamen_handler"], follower_id=follower.pk)
    assert snapshot(lead, follower) == before


def test_the_follower_rates_once_the_lead_is_resolved_and_stays_merged(pair, people):
    lead, follower = pair
    complaint_merge(follower_id=follower.pk, lead_id=lead.pk)
    with pytest.raises(ActionRefused, match="once the order it was merged into is resolved"):
        complaint_rate_follower(complaint_id=follower.pk, solved=True, satisfaction=Satisfaction.SATISFIED)
    resolve(lead, people)
    rating = complaint_rate_follower(
        complaint_id=follower.pk, solved=True, satisfaction=Satisfaction.BASICALLY, comment=" 好多了 "
    )
    follower.refresh_from_db()
    assert (rating.complaint_id, rating.round, rating.comment) == (follower.pk, 1, "好多了")
    assert follower.status == S.MERGED
    assert follower.events.latest("id").kind == "rated"
    with pytest.raises(ActionRefused, match="already rated"):
        complaint_rate_follower(complaint_id=follower.pk, solved=True, satisfaction=Satisfaction.SATISFIED)
    assert Rating.objects.filter(complaint=follower).count() == 1


def test_an_unsatisfied_follower_tells_the_lead_without_reopening_it(pair, people):
    lead, follower = pair
    complaint_merge(follower_id=follower.pk, lead_id=lead.pk)
    resolve(lead, people)
    complaint_rate_follower(complaint_id=follower.pk, solved=False, satisfaction=Satisfaction.UNSATISFIED)
    lead.refresh_from_db()
    assert lead.status == S.RESOLVED
    note = lead.events.latest("id")
    assert note.is_public and note.data["fact"] == "follower_unsatisfied"
    with translation.override("zh-hans"):
        text = event_text(note, audience=RESIDENT)
    assert "不满意" in text and follower.tracking_number not in text
    assert not lead.ratings.exists()


def test_an_order_that_is_not_merged_is_not_rated_as_a_follower(pair):
    lead, _ = pair
    with pytest.raises(ActionRefused):
        complaint_rate_follower(complaint_id=lead.pk, solved=True, satisfaction=Satisfaction.SATISFIED)
    assert not lead.ratings.exists()
