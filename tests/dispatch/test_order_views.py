"""The order page and its actions through the browser's door: each action moves the
state; each refusal shows its message and changes nothing."""

import pytest
from django.urls import reverse

from dispatch.models import AssignmentStatus
from dispatch.services.assignments import assignment_accept, assignment_record_contact
from tests.factories import UnitFactory

CHANGED = "This order was changed by someone else. Reload it and try again."


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def order(submit):
    complaint = submit()
    return complaint, complaint.assignments.get()


@pytest.fixture
def street_client(client, people):
    client.force_login(people["donghuamen_handler"])
    return client


def url(name, complaint):
    return reverse(f"dispatch:{name}", args=[complaint.tracking_number])


def snapshot(complaint, assignment):
    complaint.refresh_from_db()
    assignment.refresh_from_db()
    return (
        complaint.status,
        complaint.version,
        assignment.status,
        assignment.version,
        assignment.holder_id,
        complaint.events.count(),
    )


def post(client, name, complaint, **data):
    response = client.post(url(name, complaint), data, follow=True)
    assert response.redirect_chain == [(url("order", complaint), 302)]
    return response.content.decode()


def test_order_page_shows_the_complaint_assignment_and_timeline(street_client, order, rules):
    complaint, assignment = order
    response = street_client.get(url("order", complaint))
    html = response.content.decode()
    assert response.status_code == 200
    for expected in (
        complaint.tracking_number,
        "施工噪声",
        "东城区 › 东华门街道 › 多福巷社区",
        "东华门大街 1 号",
        "凌晨两点还在施工，噪声很大",
        "张三",
        "13800138000",
        "东华门街道办事处",
        rules["noise"].name,  # the rule that fired
        "Sign for",
    ):
        assert expected in html
    assert response.context["forms"]["accept"]["version"].value() == assignment.version
    assert [e.kind for e in response.context["timeline"]] == ["submitted", "assigned"]


def test_hidden_name_is_not_shown_even_to_the_handling_unit(street_client, submit):
    complaint = submit(hide_name=True)
    html = street_client.get(url("order", complaint)).content.decode()
    assert "hidden at the resident's request" in html
    assert "张三" not in html
    assert "13800138000" in html


def test_accept_contact_resolve_through_the_desk(street_client, order):
    complaint, assignment = order

    html = post(street_client, "accept", complaint, version=assignment.version)
    assert "Signed for." in html
    assert snapshot(complaint, assignment)[:3:2] == ("accepted", "accepted")
    assert "Record contact" in html

    html = post(street_client, "contact", complaint, version=assignment.version, note="电话联系了张先生")
    assert "Contact recorded." in html
    assert snapshot(complaint, assignment)[:3:2] == ("in_progress", "in_progress")

    html = post(street_client, "resolve", complaint, version=assignment.version, reply="已责令施工方夜间停工")
    assert "Resolved." in html
    assert snapshot(complaint, assignment)[:3:2] == ("resolved", "resolved")
    assert "已责令施工方夜间停工" in html
    assert "Sign for" not in html and "Add note" not in html  # nothing left to do
    assert "Resolved: waiting for the resident&#x27;s rating." in html
    assert "only the unit handling it can act" not in html


def test_note_is_internal_and_does_not_change_the_state(street_client, order):
    complaint, assignment = order
    before = snapshot(complaint, assignment)

    html = post(street_client, "note", complaint, note="已联系施工单位")

    assert "Note added." in html
    assert snapshot(complaint, assignment)[:5] == before[:5]
    event = complaint.events.get(kind="note")
    assert (event.message, event.is_public) == ("已联系施工单位", False)
    assert "internal" in html


def test_hand_down_to_a_community_of_the_street(street_client, order, units):
    complaint, assignment = order
    html = post(street_client, "hand_down", complaint, version=assignment.version, community=units["yinzha"].pk)
    assert "Handed down to 银闸社区居委会." in html
    assignment.refresh_from_db()
    assert (assignment.unit_id, assignment.holder_id) == (units["donghuamen"].pk, units["yinzha"].pk)


def test_hand_down_is_offered_only_to_a_street_office(client, submit, people):
    complaint = submit(category="market_food")
    client.force_login(people["market_handler"])
    response = client.get(url("order", complaint))
    assert "accept" in response.context["forms"]
    assert "hand_down" not in response.context["forms"]


def _refused(client, order, action, data, message):
    complaint, assignment = order
    before = snapshot(complaint, assignment)
    html = post(client, action, complaint, **data)
    assert message in html
    assert snapshot(complaint, assignment) == before


def test_resolve_before_sign_for_is_refused(street_client, order):
    _, assignment = order
    _refused(
        street_client,
        order,
        "resolve",
        {"version": assignment.version, "reply": "好了"},
        "Sign for the order before resolving it.",
    )


def test_contact_before_sign_for_is_refused(street_client, order):
    _, assignment = order
    _refused(
        street_client,
        order,
        "contact",
        {"version": assignment.version, "note": "电话"},
        "Sign for the order before recording contact.",
    )


def test_signing_for_twice_is_refused(street_client, order, people):
    _, assignment = order
    assignment = assignment_accept(user=people["donghuamen_handler"], assignment_id=assignment.pk)
    _refused(street_client, order, "accept", {"version": assignment.version}, "This order has already been signed for.")


def test_a_stale_form_is_refused_as_changed_by_someone_else(street_client, order, people):
    _, assignment = order
    loaded_version = assignment.version
    # A colleague signs for it after this page was loaded; the page then records contact.
    assignment_accept(user=people["donghuamen_handler"], assignment_id=assignment.pk)
    _refused(street_client, order, "contact", {"version": loaded_version, "note": "电话"}, CHANGED)


@pytest.mark.parametrize("version", [None, "", "abc", "-1", "1.5"])
def test_a_form_without_a_usable_version_is_refused_as_changed(street_client, order, version):
    data = {} if version is None else {"version": version}
    _refused(street_client, order, "accept", data, CHANGED)


def test_hand_down_to_a_community_of_another_street_is_refused(street_client, order, units, beijing):
    _, assignment = order
    longfusi = UnitFactory(
        code="c-110101002001",
        name="隆福寺社区居委会",
        kind="community",
        parent=units["jingshan"],
        region=beijing["longfusi"],
    )
    _refused(
        street_client,
        order,
        "hand_down",
        {"version": assignment.version, "community": longfusi.pk},
        "Choose a community of this street.",
    )
    _refused(
        street_client,
        order,
        "hand_down",
        {"version": assignment.version, "community": "x"},
        "Choose a community of this street.",
    )


@pytest.mark.parametrize(
    ("action", "field", "message"),
    [
        ("note", "note", "The note is empty."),
        ("contact", "note", "Say how the resident was contacted."),
        ("resolve", "reply", "Write the reply the resident will read."),
    ],
)
def test_empty_texts_are_refused(street_client, order, people, action, field, message):
    _, assignment = order
    handler = people["donghuamen_handler"]
    if action in ("contact", "resolve"):
        assignment = assignment_accept(user=handler, assignment_id=assignment.pk)
    if action == "resolve":
        assignment = assignment_record_contact(user=handler, assignment_id=assignment.pk, note="电话")
    _refused(street_client, order, action, {"version": assignment.version, field: "   "}, message)


def test_actions_refuse_get(street_client, order):
    complaint, assignment = order
    response = street_client.get(url("accept", complaint))
    assert response.status_code == 405
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ASSIGNED


def test_unknown_order_is_not_found(street_client, db):
    assert street_client.get(reverse("dispatch:order", args=["2026000000000"])).status_code == 404
    assert street_client.post(reverse("dispatch:accept", args=["2026000000000"]), {"version": 1}).status_code == 404


def test_every_field_that_writes_the_timeline_says_who_reads_it(street_client, order, people):
    complaint, assignment = order
    assignment_accept(user=people["donghuamen_handler"], assignment_id=assignment.pk)
    assignment_record_contact(user=people["donghuamen_handler"], assignment_id=assignment.pk, note="电话联系")
    html = street_client.get(url("order", complaint)).content.decode()

    def form_of(name):
        start = html.index(f'action="{url(name, complaint)}"')
        return html[start : html.index("</form>", start)]

    assert "The resident sees this." in form_of("resolve")
    assert "Internal: the resident does not see this." in form_of("note")
    assert "Internal: the resident does not see this." in form_of("extension_request")
    # The timeline marks each line for staff: the contact note is internal, the contact itself public.
    timeline = html[html.index('id="timeline-h"') :]
    assert "has recorded contact with the resident" in timeline and "has contacted you" not in timeline
    assert "mark-internal" in timeline and "mark-public" in timeline
