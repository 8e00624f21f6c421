"""Changing an order's category from triage, and routing it again by the new one."""

import pytest
from django.urls import reverse

from complaints.services.triage_moves import complaint_set_category
from dispatch.models import AssignmentStatus, TriageItem
from dispatch.services.returns import assignment_return
from dispatch.services.triage import triage_recategorise
from portal.errors import ActionRefused, ChangedBySomeoneElse
from tests.factories import CategoryFactory


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def unrouted(submit):
    return submit(category="other_misc")


def category_url(complaint):
    return reverse("dispatch:recategorise", args=[complaint.tracking_number])


def open_triage(complaint):
    return TriageItem.objects.filter(complaint=complaint, closed_at__isnull=True).exists()


def recategorise(people, complaint, category, reroute=True, who="dispatcher", version=None):
    return triage_recategorise(
        user=people[who],
        complaint_id=complaint.pk,
        category_id=category.pk,
        version=complaint.version if version is None else version,
        reroute=reroute,
    )


def test_new_category_with_reroute_assigns_to_the_new_rules_unit(people, unrouted, categories, units):
    done = recategorise(people, unrouted, categories["water_outage"])
    assert done.assignment.unit == units["water"]
    unrouted.refresh_from_db()
    assert (unrouted.category, unrouted.status) == (categories["water_outage"], "assigned")
    assert not open_triage(unrouted)
    note = unrouted.events.get(kind="note")
    assert not note.is_public
    assert note.data == {"old": "other.misc", "new": "utilities.water", "fact": "category", "by": "centre"}


def test_the_order_page_form_changes_category_and_routes(client, people, unrouted, categories, units):
    client.force_login(people["dispatcher"])
    page = client.get(reverse("dispatch:order", args=[unrouted.tracking_number]))
    html = page.content.decode()
    assert '<optgroup label="噪声扰民">' in html
    assert f'<option value="{categories["noise"].pk}"' not in html  # a group is not a choice
    response = client.post(
        category_url(unrouted),
        {"category": categories["market_food"].pk, "reroute": "on", "version": unrouted.version},
        follow=True,
    )
    assert "Category changed; routed to 东城区市场监督管理局." in response.content.decode()
    assert unrouted.assignments.get().unit == units["dc_market"]


def test_without_reroute_the_order_stays_in_triage(people, unrouted, categories):
    done = recategorise(people, unrouted, categories["water_outage"], reroute=False)
    assert done.assignment is None and done.in_triage
    unrouted.refresh_from_db()
    assert unrouted.status == "submitted" and open_triage(unrouted)
    assert unrouted.category == categories["water_outage"]


def test_a_category_no_rule_routes_keeps_the_order_in_triage(people, submit, categories, rules):
    rules["water"].is_active = False
    rules["water"].save(update_fields=["is_active"])
    complaint = submit(category="other_misc")
    done = recategorise(people, complaint, categories["water_outage"])
    assert done.assignment is None and done.in_triage
    complaint.refresh_from_db()
    assert complaint.status == "submitted" and open_triage(complaint)


def test_a_returned_order_is_routed_again_without_the_returning_unit(people, submit, categories, units):
    complaint = submit()  # noise → 东华门街道办事处
    assignment_return(
        user=people["donghuamen_handler"], assignment_id=complaint.assignments.get().pk, reason="wrong_category"
    )
    complaint.refresh_from_db()
    done = recategorise(people, complaint, categories["market_food"])
    assert done.assignment.unit == units["dc_market"]
    complaint.refresh_from_db()
    assert complaint.status == "assigned" and not open_triage(complaint)


def test_an_order_a_unit_holds_keeps_its_unit_and_due_times(people, submit, categories, units):
    complaint = submit()
    before = complaint.assignments.get()
    done = recategorise(people, complaint, categories["noise_neighbour"])
    assert done.assignment is None and not done.in_triage
    after = complaint.assignments.get()
    assert (after.unit, after.status, after.resolve_due, after.next_due) == (
        units["donghuamen"],
        AssignmentStatus.ASSIGNED,
        before.resolve_due,
        before.next_due,
    )
    complaint.refresh_from_db()
    assert complaint.category == categories["noise_neighbour"]


def test_a_group_is_refused(people, unrouted, categories):
    with pytest.raises(ActionRefused, match="not the group itself"):
        recategorise(people, unrouted, categories["utilities"])
    unrouted.refresh_from_db()
    assert unrouted.category == categories["other_misc"]


def test_an_inactive_category_is_refused(people, unrouted, categories):
    retired = CategoryFactory(code="utilities.gas", name="停气", parent=categories["utilities"], is_active=False)
    with pytest.raises(ActionRefused, match="Choose an active category."):
        recategorise(people, unrouted, retired)
    unrouted.refresh_from_db()
    assert unrouted.category == categories["other_misc"]


def test_the_same_category_is_refused(people, unrouted, categories):
    version = unrouted.version
    with pytest.raises(ActionRefused, match="already in that category"):
        recategorise(people, unrouted, categories["other_misc"])
    unrouted.refresh_from_db()
    assert unrouted.version == version
    assert not unrouted.events.filter(kind="note").exists()


def test_a_stale_version_is_refused(people, unrouted, categories):
    with pytest.raises(ChangedBySomeoneElse):
        recategorise(people, unrouted, categories["water_outage"], version=unrouted.version + 1)
    unrouted.refresh_from_db()
    assert unrouted.category == categories["other_misc"] and open_triage(unrouted)


def test_a_stale_page_is_refused(client, people, unrouted, categories):
    client.force_login(people["dispatcher"])
    response = client.post(
        category_url(unrouted),
        {"category": categories["water_outage"].pk, "version": unrouted.version + 1},
        follow=True,
    )
    assert "This order was changed by someone else." in response.content.decode()
    unrouted.refresh_from_db()
    assert unrouted.category == categories["other_misc"]


def test_a_finished_order_keeps_its_category(people, unrouted, categories):
    from dispatch.services.triage import triage_reject

    triage_reject(
        user=people["dispatcher"], complaint_id=unrouted.pk, reason="不属于受理范围", version=unrouted.version
    )
    unrouted.refresh_from_db()
    with pytest.raises(ActionRefused, match="finished order"):
        complaint_set_category(
            complaint_id=unrouted.pk, category_id=categories["water_outage"].pk, actor=None, version=unrouted.version
        )


@pytest.mark.parametrize("who", ["donghuamen_handler", "city_supervisor", "nobody"])
def test_non_dispatcher_cannot_change_category(people, submit, categories, who):
    complaint = submit()
    with pytest.raises(ActionRefused, match="Only the 12345 centre can change an order's category."):
        recategorise(people, complaint, categories["noise_neighbour"], who=who)
    complaint.refresh_from_db()
    assert complaint.category == categories["noise_construction"]


def test_handler_cannot_change_category_through_the_page(client, people, submit, categories):
    complaint = submit()
    client.force_login(people["donghuamen_handler"])
    assert "recategorise_form" not in client.get(reverse("dispatch:order", args=[complaint.tracking_number])).context
    response = client.post(
        category_url(complaint),
        {"category": categories["noise_neighbour"].pk, "version": complaint.version},
        follow=True,
    )
    assert "Only the 12345 centre can change an order&#x27;s category." in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.category == categories["noise_construction"]
