"""Reply templates (常用语) through the API: the order's templates are listed for the
unit handling it, and contact, resolve and return take an optional `template`
whose text fills an empty field, as the order page does; a template not offered
on the order is a 400 on `template` and changes nothing."""

import pytest
from django.urls import reverse

from complaints.models import EventKind
from dispatch.models import ReplyTemplate, TemplatePurpose
from dispatch.services.assignments import assignment_accept, assignment_record_contact

STREET = "donghuamen_handler"
NOT_OFFERED = "Choose a template your unit may use."


def template(*, unit, purpose=TemplatePurpose.CONTACT, category=None, text="已电话联系市民，约定上门时间。", **extra):
    return ReplyTemplate.objects.create(
        unit=unit, purpose=purpose, category=category, title=text[:20], text=text, **extra
    )


@pytest.fixture
def order(submit):
    complaint = submit()  # construction noise at 多福巷社区 → 东华门街道
    return complaint, complaint.assignments.get()


def url(name, complaint):
    return reverse(f"dispatch_api:{name}", args=[complaint.tracking_number])


def accepted(people, lead):
    assignment_accept(user=people[STREET], assignment_id=lead.pk)
    lead.refresh_from_db()
    return lead


def in_progress(people, lead):
    accepted(people, lead)
    assignment_record_contact(user=people[STREET], assignment_id=lead.pk, note="已电话联系")
    lead.refresh_from_db()
    return lead


def state(complaint, lead):
    complaint.refresh_from_db()
    lead.refresh_from_db()
    return complaint.status, complaint.version, lead.status, lead.version, complaint.events.count()


# --- the list ------------------------------------------------------------------------


def test_the_order_lists_the_templates_its_unit_is_offered(api_as, order, units, categories):
    complaint, _lead = order
    own = template(unit=units["donghuamen"], text="东华门：已联系")
    centre = template(unit=None, purpose=TemplatePurpose.RESOLVE, text="中心：已办结", category=categories["noise"])
    template(unit=units["jingshan"], text="景山的常用语")  # a sibling street's
    template(unit=units["donghuamen"], text="停用的", is_active=False)
    template(unit=units["donghuamen"], text="市场类", category=categories["market"])

    response = api_as(STREET).get(url("order_templates", complaint))

    assert response.status_code == 200, response.json()
    body = response.json()
    assert [row["id"] for row in body] == [own.pk, centre.pk]  # by purpose, then title
    assert body[0] == {
        "id": own.pk,
        "purpose": "contact",
        "title": own.title,
        "text": "东华门：已联系",
        "unit": {
            "id": units["donghuamen"].pk,
            "code": "s-110101001",
            "name": "东华门街道办事处",
            "kind": "street_office",
        },
        "category": None,
    }
    assert body[1]["unit"] is None and body[1]["category"]["code"] == categories["noise"].code


def test_the_list_narrows_to_one_purpose(api_as, order, units):
    complaint, _lead = order
    template(unit=units["donghuamen"], purpose=TemplatePurpose.CONTACT)
    resolve = template(unit=units["donghuamen"], purpose=TemplatePurpose.RESOLVE, text="已办结")

    response = api_as(STREET).get(url("order_templates", complaint), {"purpose": "resolve"})

    assert [row["id"] for row in response.json()] == [resolve.pk]


def test_an_empty_purpose_lists_them_all(api_as, order, units):
    complaint, _lead = order
    template(unit=units["donghuamen"], purpose=TemplatePurpose.CONTACT)
    template(unit=units["donghuamen"], purpose=TemplatePurpose.RETURN, text="不属本街道")
    response = api_as(STREET).get(url("order_templates", complaint), {"purpose": ""})
    assert [row["purpose"] for row in response.json()] == ["contact", "return"]


def test_an_unknown_purpose_is_a_field_error(api_as, order):
    complaint, _lead = order
    response = api_as(STREET).get(url("order_templates", complaint), {"purpose": "praise"})
    assert response.status_code == 400
    assert "purpose" in response.json()["fields"]


@pytest.mark.parametrize(("who", "status"), [("jingshan_handler", 404), ("dispatcher", 403), (None, 401)])
def test_only_the_handling_unit_lists_an_orders_templates(api_as, order, units, who, status):
    complaint, _lead = order
    template(unit=units["donghuamen"])
    response = api_as(who).get(url("order_templates", complaint))
    assert response.status_code == status
    assert "已电话联系市民" not in response.content.decode()


# --- the actions ---------------------------------------------------------------------


def test_contact_with_a_template_and_no_note_records_the_templates_text(api_as, order, people, units):
    complaint, lead = order
    lead = accepted(people, lead)
    chosen = template(unit=units["donghuamen"])

    response = api_as(STREET).post(
        url("order_contact", complaint), {"version": lead.version, "template": chosen.pk}, format="json"
    )

    assert response.status_code == 200, response.json()
    event = complaint.events.filter(kind=EventKind.NOTE).latest("created_at", "id")
    assert event.message == chosen.text


def test_what_was_typed_wins_over_the_template(api_as, order, people, units):
    complaint, lead = order
    lead = in_progress(people, lead)
    chosen = template(unit=units["donghuamen"], purpose=TemplatePurpose.RESOLVE, text="模板答复")

    response = api_as(STREET).post(
        url("order_resolve", complaint),
        {"version": lead.version, "template": chosen.pk, "reply": "已责令施工方夜间停工"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert complaint.events.get(kind=EventKind.RESOLVED).message == "已责令施工方夜间停工"


def test_resolve_with_a_template_fills_the_reply(api_as, order, people, units):
    complaint, lead = order
    lead = in_progress(people, lead)
    chosen = template(unit=None, purpose=TemplatePurpose.RESOLVE, text="已协调施工方，夜间不再施工。")

    response = api_as(STREET).post(
        url("order_resolve", complaint), {"version": lead.version, "template": chosen.pk}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert complaint.events.get(kind=EventKind.RESOLVED).message == chosen.text


def test_resolve_with_photos_takes_a_template_as_a_form_field(api_as, order, people, units):
    complaint, lead = order
    lead = in_progress(people, lead)
    chosen = template(unit=units["donghuamen"], purpose=TemplatePurpose.RESOLVE, text="已整改完毕")

    response = api_as(STREET).post(
        url("order_resolve", complaint), {"version": lead.version, "template": chosen.pk}, format="multipart"
    )

    assert response.status_code == 200, response.json()
    assert complaint.events.get(kind=EventKind.RESOLVED).message == "已整改完毕"


def test_return_with_a_template_fills_the_note(api_as, order, units):
    complaint, lead = order
    chosen = template(unit=units["donghuamen"], purpose=TemplatePurpose.RETURN, text="该地址不在本街道辖区。")

    response = api_as(STREET).post(
        url("order_return", complaint),
        {"version": lead.version, "reason": "other", "template": chosen.pk},
        format="json",
    )

    assert response.status_code == 200, response.json()
    lead.refresh_from_db()
    assert lead.return_note == chosen.text


def _not_offered(units, categories):
    return {
        "another unit's": template(unit=units["jingshan"], purpose=TemplatePurpose.RESOLVE),
        "a unit's below": template(unit=units["duofuxiang"], purpose=TemplatePurpose.RESOLVE),
        "another purpose's": template(unit=units["donghuamen"], purpose=TemplatePurpose.CONTACT),
        "another category's": template(
            unit=units["donghuamen"], purpose=TemplatePurpose.RESOLVE, category=categories["market"]
        ),
        "an inactive one": template(unit=units["donghuamen"], purpose=TemplatePurpose.RESOLVE, is_active=False),
    }


def test_a_template_not_offered_on_the_order_is_a_field_error_and_changes_nothing(
    api_as, order, people, units, categories
):
    complaint, lead = order
    lead = in_progress(people, lead)
    client = api_as(STREET)
    for kind, refused in _not_offered(units, categories).items():
        before = state(complaint, lead)
        response = client.post(
            url("order_resolve", complaint), {"version": lead.version, "template": refused.pk}, format="json"
        )
        assert response.status_code == 400, kind
        assert response.json()["fields"] == {"template": [NOT_OFFERED]}, kind
        assert state(complaint, lead) == before, kind


@pytest.mark.parametrize("value", [999999, -1, 10**20, "abc", 1.5, [1], {"id": 1}])
def test_a_template_that_is_no_template_is_a_field_error(api_as, order, people, value):
    complaint, lead = order
    lead = accepted(people, lead)
    before = state(complaint, lead)
    response = api_as(STREET).post(
        url("order_contact", complaint), {"version": lead.version, "template": value}, format="json"
    )
    assert response.status_code == 400
    assert "template" in response.json()["fields"]
    assert state(complaint, lead) == before


def test_contact_and_return_refuse_another_units_template(api_as, order, people, units):
    complaint, lead = order
    foreign_contact = template(unit=units["jingshan"], purpose=TemplatePurpose.CONTACT)
    foreign_return = template(unit=units["jingshan"], purpose=TemplatePurpose.RETURN)
    client = api_as(STREET)

    before = state(complaint, lead)
    response = client.post(
        url("order_return", complaint),
        {"version": lead.version, "reason": "other", "template": foreign_return.pk},
        format="json",
    )
    assert (response.status_code, response.json().get("fields")) == (400, {"template": [NOT_OFFERED]})
    assert state(complaint, lead) == before

    lead = accepted(people, lead)
    before = state(complaint, lead)
    response = client.post(
        url("order_contact", complaint), {"version": lead.version, "template": foreign_contact.pk}, format="json"
    )
    assert (response.status_code, response.json().get("fields")) == (400, {"template": [NOT_OFFERED]})
    assert state(complaint, lead) == before
