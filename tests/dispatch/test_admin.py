"""The Django admin as an administrator uses it: every model's list and change page
work, a moved unit keeps its tree paths right, and bad rules get form errors."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from complaints.models import Rating
from dispatch.models import Membership, Role, RoutingRule, TriageItem, Unit
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def world(submit, people, beijing, categories, units, rules):
    routed = submit()
    unrouted = submit(category="other_misc")
    Rating.objects.create(complaint=routed, round=1, solved=True, satisfaction="satisfied", comment="很快")
    return {
        "region": (beijing["yinzha"], "银闸社区"),
        "category": (categories["noise_construction"], "noise.construction"),
        "complaint": (routed, routed.tracking_number),
        "complaintevent": (routed.events.first(), routed.tracking_number),
        "rating": (routed.ratings.get(), routed.tracking_number),
        "unit": (units["donghuamen"], "东华门街道办事处"),
        "membership": (Membership.objects.get(user=people["dispatcher"]), "dispatcher"),
        "routingrule": (rules["water"], "停水→自来水集团"),
        "assignment": (routed.assignments.get(), "东华门街道办事处"),
        "triageitem": (TriageItem.objects.get(complaint=unrouted), unrouted.tracking_number),
        "user": (people["donghuamen_handler"], "donghuamen_handler"),
    }


def test_every_registered_model_lists_and_opens(admin_client, world):
    from django.contrib import admin

    registered = {model._meta.model_name for model in admin.site._registry}
    assert registered >= set(world)
    for name, (obj, expected) in world.items():
        opts = obj._meta
        changelist = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert changelist.status_code == 200, name
        assert expected in changelist.content.decode(), name
        change = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
        assert change.status_code == 200, name
        assert expected in change.content.decode(), name


def test_changelists_do_not_query_per_row(admin_client, world, submit, django_assert_max_num_queries):
    for _ in range(10):
        submit()
    for name in ("complaint", "assignment", "unit", "membership", "routingrule", "triageitem", "complaintevent"):
        obj = world[name][0]
        url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_changelist")
        with django_assert_max_num_queries(12):
            assert admin_client.get(url).status_code == 200


def test_complaint_status_and_version_are_read_only(admin_client, world):
    complaint = world["complaint"][0]
    url = reverse("admin:complaints_complaint_change", args=[complaint.pk])
    form = admin_client.get(url).context["adminform"].form
    assert "status" not in form.fields and "version" not in form.fields
    assert admin_client.get(reverse("admin:complaints_complaint_add")).status_code == 403


def _unit_form(unit, **changes):
    data = {
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "department_kind": unit.department_kind,
        "parent": unit.parent_id or "",
        "region": unit.region_id or "",
        "is_active": "on",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_moving_a_unit_updates_its_path_and_its_subtree(admin_client, units):
    street = units["donghuamen"]
    url = reverse("admin:dispatch_unit_change", args=[street.pk])

    response = admin_client.post(url, _unit_form(street, parent=units["chaoyang"].pk, code="s-moved"))

    assert response.status_code == 302
    street.refresh_from_db()
    assert street.path == "bj/d-110105/s-moved/"
    assert Unit.objects.get(code="c-110101001001").path == "bj/d-110105/s-moved/c-110101001001/"
    assert Unit.objects.get(code="s-110101002").path == "bj/d-110101/s-110101002/"  # a sibling stays put


def test_a_unit_cannot_become_its_own_ancestor(admin_client, units):
    district = units["dongcheng"]
    url = reverse("admin:dispatch_unit_change", args=[district.pk])
    for new_parent in (district, units["duofuxiang"]):
        response = admin_client.post(url, _unit_form(district, parent=new_parent.pk))
        assert response.status_code == 200
        assert "A unit cannot be placed under itself or one of its own units." in response.content.decode()
    district.refresh_from_db()
    assert (district.parent, district.path) == (units["city"], "bj/d-110101/")


def test_adding_a_unit_sets_its_path(admin_client, units, beijing):
    response = admin_client.post(
        reverse("admin:dispatch_unit_add"),
        _unit_form(
            Unit(
                code="c-110101002001",
                name="隆福寺社区居委会",
                kind="community",
                parent=units["jingshan"],
                region=beijing["longfusi"],
            )
        ),
    )
    assert response.status_code == 302
    assert Unit.objects.get(code="c-110101002001").path == "bj/d-110101/s-110101002/c-110101002001/"


def test_unit_membership_inline_adds_a_handler(admin_client, units):
    person = UserFactory(username="new_handler")
    street = units["jingshan"]
    data = _unit_form(
        street,
        **{
            "memberships-TOTAL_FORMS": "1",
            "memberships-0-user": person.pk,
            "memberships-0-role": Role.HANDLER,
        },
    )
    response = admin_client.post(reverse("admin:dispatch_unit_change", args=[street.pk]), data)
    assert response.status_code == 302
    assert Membership.objects.filter(user=person, unit=street, role=Role.HANDLER).exists()


def test_user_admin_shows_memberships(admin_client, people):
    user = people["donghuamen_handler"]
    response = admin_client.get(reverse("admin:auth_user_change", args=[user.pk]))
    assert "东华门街道办事处" in response.content.decode()
    assert any(formset.opts.model is Membership for formset in response.context["inline_admin_formsets"])


def _rule_form(**changes):
    data = {
        "name": "新规则",
        "category": "",
        "region": "",
        "target_kind": "fixed",
        "target_unit": "",
        "department_kind": "",
        "priority": "0",
        "is_active": "on",
    }
    data.update(changes)
    return data


def test_fixed_rule_without_a_unit_shows_a_form_error(admin_client, categories):
    response = admin_client.post(reverse("admin:dispatch_routingrule_add"), _rule_form(category=categories["other"].pk))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["target_unit"] == ["A rule with a fixed target needs the unit."]
    assert not RoutingRule.objects.filter(name="新规则").exists()


def test_department_rule_without_a_kind_shows_a_form_error(admin_client, categories):
    response = admin_client.post(
        reverse("admin:dispatch_routingrule_add"), _rule_form(target_kind="district_department")
    )
    assert response.status_code == 200
    assert "department_kind" in response.context["adminform"].form.errors
    assert not RoutingRule.objects.filter(name="新规则").exists()


def test_a_valid_rule_is_saved(admin_client, categories, units):
    response = admin_client.post(
        reverse("admin:dispatch_routingrule_add"),
        _rule_form(category=categories["other"].pk, target_unit=units["centre"].pk),
    )
    assert response.status_code == 302
    assert RoutingRule.objects.get(name="新规则").target_unit == units["centre"]


def test_admin_is_closed_to_staff_users_without_admin_rights(client, people):
    client.force_login(people["donghuamen_handler"])
    response = client.get(reverse("admin:dispatch_unit_changelist"))
    assert response.status_code == 302
    assert get_user_model().objects.filter(username="donghuamen_handler", is_staff=False).exists()


def test_user_add_page_works_with_the_membership_inline(admin_client, db):
    response = admin_client.get(reverse("admin:auth_user_add"))
    assert response.status_code == 200


def test_the_unit_list_shows_and_filters_units_with_no_handler_or_no_supervisor(
    admin_client, people, units, django_assert_max_num_queries
):
    url = reverse("admin:dispatch_unit_changelist")

    no_supervisor = admin_client.get(url, {"staffing": "no_supervisor"}).context["cl"].result_list
    no_handler = admin_client.get(url, {"staffing": "no_handler"}).context["cl"].result_list

    assert units["dc_market"] in no_supervisor and units["dongcheng"] not in no_supervisor
    assert units["dc_market"] not in no_handler and units["water"] in no_handler
    row = next(u for u in admin_client.get(url).context["cl"].result_list if u == units["donghuamen"])
    assert (row.has_handler, row.has_supervisor) == (True, False)
    with django_assert_max_num_queries(12):
        assert admin_client.get(url).status_code == 200
