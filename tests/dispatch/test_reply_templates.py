"""Reply templates (常用语): which the order page offers to whom, the no-script copy
on submit, the refusal of another unit's template, and who keeps which on the desk."""

import pytest
from django.urls import reverse

from complaints.models import EventKind
from dispatch.models import ReplyTemplate, TemplatePurpose
from dispatch.selectors.reply_templates import templates_for
from dispatch.services.assignments import assignment_accept, assignment_record_contact
from dispatch.services.seed.reply_templates import reply_templates_seed

NOT_OFFERED = "Choose a template your unit may use."


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def template(*, unit, purpose=TemplatePurpose.CONTACT, category=None, text="已电话联系市民，约定上门时间。", **extra):
    return ReplyTemplate.objects.create(
        unit=unit, purpose=purpose, category=category, title=text[:20], text=text, **extra
    )


@pytest.fixture
def order(submit):
    complaint = submit()  # construction noise at 多福巷社区 → 东华门街道
    return complaint, complaint.assignments.get()


@pytest.fixture
def street_client(client, people):
    client.force_login(people["donghuamen_handler"])
    return client


def order_url(name, complaint):
    return reverse(f"dispatch:{name}", args=[complaint.tracking_number])


# --- which templates are offered ---------------------------------------------------------


def test_a_unit_is_offered_its_own_its_ancestors_and_the_centres_templates(units, categories):
    own = template(unit=units["donghuamen"])
    district = template(unit=units["dongcheng"], text="区里的常用语")
    centre = template(unit=None, text="中心的常用语")
    template(unit=units["jingshan"], text="景山的常用语")  # a sibling street's
    template(unit=units["duofuxiang"], text="社区的常用语")  # a unit below
    template(unit=units["donghuamen"], is_active=False, text="停用的")

    offered = templates_for(unit=units["donghuamen"], category=categories["noise_construction"], purpose="contact")

    assert set(offered) == {own, district, centre}


def test_the_centres_templates_are_offered_to_every_unit(units, categories):
    centre = template(unit=None)
    for unit in ("jianwai", "water", "dc_market", "duofuxiang"):
        assert list(templates_for(unit=units[unit], category=categories["market_food"], purpose="contact")) == [centre]


def test_templates_match_the_category_its_group_or_every_category(units, categories):
    group = template(unit=units["donghuamen"], category=categories["noise"], text="噪声组")
    exact = template(unit=units["donghuamen"], category=categories["noise_construction"], text="施工噪声")
    every = template(unit=units["donghuamen"], text="通用")
    template(unit=units["donghuamen"], category=categories["noise_neighbour"], text="邻里噪声")
    template(unit=units["donghuamen"], category=categories["market"], text="市场")

    offered = templates_for(unit=units["donghuamen"], category=categories["noise_construction"], purpose="contact")

    assert set(offered) == {group, exact, every}


def test_templates_are_offered_only_for_their_purpose(units, categories):
    contact = template(unit=units["donghuamen"], purpose=TemplatePurpose.CONTACT)
    resolve = template(unit=units["donghuamen"], purpose=TemplatePurpose.RESOLVE, text="已办结")
    noise = categories["noise"]
    assert list(templates_for(unit=units["donghuamen"], category=noise, purpose="contact")) == [contact]
    assert list(templates_for(unit=units["donghuamen"], category=noise, purpose="resolve")) == [resolve]
    assert list(templates_for(unit=units["donghuamen"], category=noise, purpose="return")) == []


def test_templates_for_is_one_query(units, categories, django_assert_num_queries):
    template(unit=units["donghuamen"])
    template(unit=None)
    category = categories["noise_construction"]
    with django_assert_num_queries(1):
        assert len(list(templates_for(unit=units["duofuxiang"], category=category, purpose="contact"))) == 2


# --- the order page ----------------------------------------------------------------------


def test_the_order_page_offers_the_matching_templates_with_their_text(street_client, order, units, people):
    complaint, assignment = order
    assignment_accept(user=people["donghuamen_handler"], assignment_id=assignment.pk)
    template(unit=units["donghuamen"])
    template(unit=units["jingshan"], text="景山的常用语")

    html = street_client.get(order_url("order", complaint)).content.decode()

    assert 'data-text="已电话联系市民，约定上门时间。"' in html
    assert "景山的常用语" not in html
    assert "js/reply-templates.js" in html


def test_a_chosen_template_fills_an_empty_contact_record_without_script(street_client, order, units, people):
    complaint, assignment = order
    assignment = assignment_accept(user=people["donghuamen_handler"], assignment_id=assignment.pk)
    chosen = template(unit=units["donghuamen"])

    response = street_client.post(
        order_url("contact", complaint), {"version": assignment.version, "note": "", "template": chosen.pk}, follow=True
    )

    assert "Contact recorded." in response.content.decode()
    assert complaint.events.filter(kind=EventKind.CONTACTED).exists()
    assert complaint.events.filter(kind=EventKind.NOTE, message=chosen.text).exists()


def test_typed_text_wins_over_the_chosen_template(street_client, order, units, people):
    complaint, assignment = order
    assignment = assignment_accept(user=people["donghuamen_handler"], assignment_id=assignment.pk)
    assignment = assignment_record_contact(user=people["donghuamen_handler"], assignment_id=assignment.pk, note="电话")
    chosen = template(unit=units["donghuamen"], purpose=TemplatePurpose.RESOLVE, text="模板的答复")

    street_client.post(
        order_url("resolve", complaint),
        {"version": assignment.version, "reply": "自己写的答复", "template": chosen.pk},
        follow=True,
    )

    complaint.refresh_from_db()
    assert complaint.status == "resolved"
    assert complaint.events.filter(message__contains="自己写的答复").exists()
    assert not complaint.events.filter(message__contains="模板的答复").exists()


@pytest.mark.parametrize("owner", ["jingshan", "duofuxiang"])
def test_another_units_template_is_refused_and_nothing_is_saved(street_client, order, units, people, owner):
    complaint, assignment = order
    assignment = assignment_accept(user=people["donghuamen_handler"], assignment_id=assignment.pk)
    foreign = template(unit=units[owner], text="别人的常用语")
    events_before = complaint.events.count()

    response = street_client.post(
        order_url("contact", complaint),
        {"version": assignment.version, "note": "", "template": foreign.pk},
        follow=True,
    )

    assert NOT_OFFERED in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.contacted_at is None
    assert complaint.events.count() == events_before


def test_a_template_for_another_purpose_or_a_mangled_id_is_refused(street_client, order, units, people):
    complaint, assignment = order
    assignment = assignment_accept(user=people["donghuamen_handler"], assignment_id=assignment.pk)
    resolve_only = template(unit=units["donghuamen"], purpose=TemplatePurpose.RESOLVE)
    for bad in (resolve_only.pk, "abc", "99999"):
        response = street_client.post(
            order_url("contact", complaint), {"version": assignment.version, "note": "", "template": bad}, follow=True
        )
        assert NOT_OFFERED in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.contacted_at is None


def test_a_return_reason_template_fills_the_note_for_the_centre(street_client, order, units):
    complaint, assignment = order
    centre = template(unit=None, purpose=TemplatePurpose.RETURN, text="不属于我单位职责范围。")

    response = street_client.post(
        order_url("return_order", complaint),
        {"version": assignment.version, "reason": "other", "note": "", "template": centre.pk},
        follow=True,
    )

    assert response.status_code == 200
    assignment.refresh_from_db()
    assert assignment.return_note == centre.text


# --- the desk page that keeps them -------------------------------------------------------


def test_a_handler_adds_and_edits_their_units_template(street_client, units, categories):
    response = street_client.post(
        reverse("dispatch:reply_template_new", args=[units["donghuamen"].pk]),
        {"purpose": "resolve", "category": categories["noise"].pk, "title": "噪声", "text": "已劝导制止。"},
    )
    assert response.status_code == 302
    saved = ReplyTemplate.objects.get()
    assert (saved.unit, saved.category, saved.purpose) == (units["donghuamen"], categories["noise"], "resolve")

    street_client.post(
        reverse("dispatch:reply_template_edit", args=[saved.pk]),
        {"purpose": "resolve", "category": "", "title": "噪声", "text": "已制止。"},
    )
    saved.refresh_from_db()
    assert (saved.text, saved.category, saved.is_active) == ("已制止。", None, False)

    html = street_client.get(reverse("dispatch:reply_templates")).content.decode()
    assert "已制止。" in html and "东华门街道办事处" in html


def test_an_empty_text_is_refused_and_nothing_saved(street_client, units):
    response = street_client.post(
        reverse("dispatch:reply_template_new", args=[units["donghuamen"].pk]),
        {"purpose": "contact", "title": "  ", "text": "   "},
    )
    assert response.status_code == 200
    assert ReplyTemplate.objects.count() == 0


def test_deactivating_stops_the_template_being_offered(street_client, units, categories):
    kept = template(unit=units["donghuamen"])
    street_client.post(reverse("dispatch:reply_template_deactivate", args=[kept.pk]))
    kept.refresh_from_db()
    assert kept.is_active is False
    assert not templates_for(unit=units["donghuamen"], category=categories["noise"], purpose="contact").exists()


@pytest.mark.parametrize(
    ("user", "owner"),
    [
        ("donghuamen_handler", "jingshan"),
        ("donghuamen_handler", None),
        ("jingshan_handler", "donghuamen"),
        ("dongcheng_supervisor", "donghuamen"),  # a supervisor keeps their own unit's only
        ("dispatcher", "donghuamen"),
        ("nobody", None),
    ],
)
def test_nobody_manages_another_units_templates(client, people, units, user, owner):
    client.force_login(people[user])
    other = template(unit=units[owner] if owner else None, text="原文")
    owner_key = str(units[owner].pk) if owner else "centre"

    assert client.get(reverse("dispatch:reply_template_new", args=[owner_key])).status_code == 404
    assert (
        client.post(
            reverse("dispatch:reply_template_new", args=[owner_key]), {"purpose": "contact", "title": "x", "text": "x"}
        ).status_code
        == 404
    )
    edit = reverse("dispatch:reply_template_edit", args=[other.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, {"purpose": "contact", "title": "改", "text": "改", "is_active": "on"}).status_code == 404
    assert client.post(reverse("dispatch:reply_template_deactivate", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert (other.text, other.is_active) == ("原文", True)
    assert ReplyTemplate.objects.count() == 1


def test_the_dispatcher_keeps_the_centres_and_a_supervisor_their_units(client, people, units):
    client.force_login(people["dispatcher"])
    client.post(
        reverse("dispatch:reply_template_new", args=["centre"]),
        {"purpose": "return", "title": "t", "text": "不属本单位职责。"},
    )
    assert ReplyTemplate.objects.get().unit is None

    client.force_login(people["dongcheng_supervisor"])
    response = client.get(reverse("dispatch:reply_templates"))
    assert response.status_code == 200
    assert "东城区人民政府" in response.content.decode()
    assert "不属本单位职责。" not in response.content.decode()


def test_an_unknown_owner_in_the_url_is_404(street_client):
    for owner in ("abc", "0", "99999"):
        assert street_client.get(reverse("dispatch:reply_template_new", args=[owner])).status_code == 404


def test_the_demo_seed_is_idempotent(units, categories):
    first = reply_templates_seed()
    assert first >= 4
    assert reply_templates_seed() == 0
    assert ReplyTemplate.objects.filter(unit=units["donghuamen"], text="已电话联系市民，约定上门时间。").exists()
    assert ReplyTemplate.objects.filter(unit=None, purpose=TemplatePurpose.RETURN).exists()
