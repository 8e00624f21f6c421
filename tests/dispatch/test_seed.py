import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.http import HttpRequest

from complaints.models import Category, Complaint, Region, RegionLevel
from dispatch.models import Membership, RoutingRule, TargetKind, Unit, UnitKind
from dispatch.services.routing import route
from dispatch.services.seed import (
    DEMO_PASSWORD,
    community_name,
    reference_seed,
    rules_seed,
    street_office_name,
    units_seed,
)
from portal.errors import ActionRefused

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    return reference_seed()


def _units_snapshot():
    return list(Unit.objects.order_by("code").values_list("code", "name", "kind", "parent_id", "region_id", "path"))


def test_reference_seed_builds_beijings_unit_tree(seeded):
    counts = {kind: Unit.objects.filter(kind=kind).count() for kind in UnitKind}
    assert counts == {
        "city": 1,
        "centre": 1,
        "utility": 4,
        "district": 16,
        "department": 16 * 8,
        "street_office": 349,
        "community": 7535,
    }
    assert seeded["units"].created == sum(counts.values())
    units = {u.code: u for u in Unit.objects.select_related("region", "parent")}
    for unit in units.values():
        assert unit.path == f"{unit.parent.path if unit.parent_id else ''}{unit.code}/"
    for code, kind, parent, level in [
        ("d-110101", "district", "bj", "district"),
        ("s-110101001", "street_office", "d-110101", "street"),
        ("c-110101001001", "community", "s-110101001", "community"),
        ("dep-110101-market", "department", "d-110101", "district"),
    ]:
        unit = units[code]
        assert (unit.kind, unit.parent.code, unit.region.level) == (kind, parent, level)
    assert units["centre"].parent.code == "bj"
    assert {u.department_kind for u in units.values() if u.kind == "utility"} == {"water", "heating", "power", "gas"}
    assert units["s-110101001"].name == "东华门街道办事处"
    assert units["c-110101001001"].name == "多福巷社区居委会"
    assert units["dep-110101-public_security"].name == "北京市公安局东城分局"
    # Every street's and community's unit serves exactly that place.
    assert all(
        u.region.code == u.code.split("-")[1] for u in units.values() if u.kind in ("street_office", "community")
    )


def test_reseeding_changes_nothing(seeded):
    before = _units_snapshot()
    rules_before = list(RoutingRule.objects.values_list("id", "name", "category_id", "target_kind", "department_kind"))

    again = reference_seed()

    assert {name: (r.created, r.updated) for name, r in again.items()} == {
        "regions": (0, 0),
        "outlines": (0, 0),
        "categories": (0, 0),
        "questions": (0, 0),
        "units": (0, 0),
        "rules": (0, 0),
        "policies": (0, 0),
    }
    assert _units_snapshot() == before
    assert list(RoutingRule.objects.values_list("id", "name", "category_id", "target_kind", "department_kind")) == (
        rules_before
    )


def test_reseeding_restores_a_broken_unit(seeded):
    Unit.objects.filter(code="s-110101001").update(name="错名", path="wrong/")

    result = units_seed()

    assert (result.created, result.updated) == (0, 1)
    unit = Unit.objects.get(code="s-110101001")
    assert (unit.name, unit.path) == ("东华门街道办事处", "bj/d-110101/s-110101001/")


def test_every_category_but_other_routes_to_a_unit_in_every_district(seeded):
    communities = [
        Region.objects.filter(level=RegionLevel.COMMUNITY, code__startswith=district.code).first()
        for district in Region.objects.filter(level=RegionLevel.DISTRICT)
    ]
    leaves = list(Category.objects.filter(parent__isnull=False, is_active=True).exclude(code__startswith="other."))
    assert len(communities) == 16 and len(leaves) > 50

    for community in communities:
        for category in leaves:
            rule, unit = route(complaint=Complaint(category=category, region=community))
            assert unit is not None, (community.code, category.code)
            if rule.target_kind == TargetKind.STREET_OFFICE:
                assert unit.region_id == community.parent_id
            elif rule.target_kind == TargetKind.DISTRICT_DEPARTMENT:
                assert unit.path.startswith(f"bj/d-{community.code[:6]}/")
                assert unit.department_kind == rule.department_kind
            else:
                assert unit.kind == UnitKind.UTILITY


KNOWN_ROUTES = [
    ("noise.construction", "s-110101001"),
    ("housing.lift", "s-110101001"),
    ("market.food", "dep-110101-market"),
    ("construction.illegal", "dep-110101-city_management"),
    # Sub-category rules beat their group's.
    ("construction.site", "dep-110101-housing"),
    ("city_appearance.vendors", "dep-110101-city_management"),
    ("traffic.illegal_parking", "dep-110101-public_security"),
    ("traffic.bus", "dep-110101-transport"),
    ("labour.wages", "dep-110101-hrss"),
    ("utilities.water", "u-water"),
    ("utilities.heating", "u-heating"),
]


def test_known_complaints_at_duofuxiang_reach_the_expected_unit(seeded):
    duofuxiang = Region.objects.get(code="110101001001")

    chosen = {
        category: route(complaint=Complaint(category=Category.objects.get(code=category), region=duofuxiang))[1].code
        for category, _unit in KNOWN_ROUTES
    }

    assert chosen == dict(KNOWN_ROUTES)


def test_other_has_no_rule_and_goes_to_triage(seeded):
    for category in Category.objects.filter(code__startswith="other."):
        complaint = Complaint(category=category, region=Region.objects.get(code="110105001024"))
        assert route(complaint=complaint) == (None, None)


def test_demo_accounts_log_in_with_their_memberships(client):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    second = io.StringIO()
    call_command("seed_demo", stdout=second)

    assert "Demo accounts: 12 created" in out.getvalue()
    assert "Demo accounts: 0 created, 0 updated, 12 unchanged" in second.getvalue()
    assert "dhm_handler" in second.getvalue() and "东华门街道办事处" in second.getvalue()
    expected = {
        "dhm_handler": ("handler", "s-110101001"),
        "js_handler": ("handler", "s-110101002"),
        "jw_handler": ("handler", "s-110105001"),
        "dfx_handler": ("handler", "c-110101001001"),
        "dc_market_handler": ("handler", "dep-110101-market"),
        "dc_cm_handler": ("handler", "dep-110101-city_management"),
        "dispatcher": ("dispatcher", "centre"),
        "operator": ("operator", "centre"),
        "dc_supervisor": ("supervisor", "d-110101"),
        "city_supervisor": ("supervisor", "bj"),
        "dhm_supervisor": ("supervisor", "s-110101001"),
    }
    for username, membership in expected.items():
        assert client.login(request=HttpRequest(), username=username, password=DEMO_PASSWORD), username
        assert list(Membership.objects.filter(user__username=username).values_list("role", "unit__code")) == [
            membership
        ]
        client.logout()
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and not admin.memberships.exists()
    assert client.login(request=HttpRequest(), username="admin", password=DEMO_PASSWORD)
    assert get_user_model().objects.get(username="jw_handler").first_name == "建外街道 接诉员"


def test_units_cannot_be_seeded_before_regions():
    with pytest.raises(ActionRefused, match="Import the regions first"):
        units_seed()

    assert not Unit.objects.exists()


def test_a_rule_file_naming_an_unknown_category_is_refused_whole(seeded, tmp_path):
    RoutingRule.objects.all().delete()
    rules = tmp_path / "rules.json"
    rules.write_text(
        json.dumps(
            [
                {"name": "好规则", "category": "noise", "target_kind": "street_office"},
                {"name": "坏规则", "category": "no-such", "target_kind": "street_office"},
            ]
        ),
        encoding="utf-8",
    )

    with pytest.raises(ActionRefused, match="坏规则"):
        rules_seed(path=rules)

    assert not RoutingRule.objects.exists()


@pytest.mark.parametrize(
    "place, office",
    [
        ("东华门街道", "东华门街道办事处"),
        ("南口镇", "南口镇人民政府"),
        ("崔各庄乡", "崔各庄乡人民政府"),
        ("小红门地区", "小红门地区办事处"),
        ("北京经济技术开发区", "北京经济技术开发区管理委员会"),
    ],
)
def test_street_office_names_follow_the_kind_of_place(place, office):
    assert street_office_name(place) == office


@pytest.mark.parametrize(
    "place, committee",
    [
        ("多福巷社区居委会", "多福巷社区居委会"),
        ("大北家园社区居民委员会", "大北家园社区居民委员会"),
        ("西铁营村", "西铁营村委会"),
        ("某某社区", "某某社区居委会"),
    ],
)
def test_community_names_are_the_committees(place, committee):
    assert community_name(place) == committee
