"""Named, realistic fixtures: a slice of Beijing (东城区 with two streets), its units
and the people who work in them. Region and unit codes are the real NBS codes.
Each fixture's data is also a plain `make_*` function, for a module that builds
it once for all its tests (tests/test_api_access_matrix.py)."""

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test import TestCase, override_settings
from django.utils import translation

from complaints.models import RegionLevel
from complaints.services import complaint_submit
from complaints.services.snapshots import snapshots_drop_local
from dispatch.models import DepartmentKind, Role, TargetKind, UnitKind
from dispatch.selectors.triage import similar_kept
from tests import robustness
from tests.factories import (
    CategoryFactory,
    MembershipFactory,
    RegionFactory,
    RoutingRuleFactory,
    UnitFactory,
    UserFactory,
)


@pytest.fixture
def beijing(db):
    """Regions: 北京市 › 东城区 › 东华门街道 (多福巷社区, 银闸社区), 景山街道 (隆福寺社区);
    朝阳区 › 建外街道."""
    return make_beijing()


def make_beijing() -> dict:
    city = RegionFactory(code="11", name="北京市", level=RegionLevel.CITY)
    dongcheng = RegionFactory(code="110101", name="东城区", level=RegionLevel.DISTRICT, parent=city)
    donghuamen = RegionFactory(code="110101001", name="东华门街道", level=RegionLevel.STREET, parent=dongcheng)
    jingshan = RegionFactory(code="110101002", name="景山街道", level=RegionLevel.STREET, parent=dongcheng)
    chaoyang = RegionFactory(code="110105", name="朝阳区", level=RegionLevel.DISTRICT, parent=city)
    jianwai = RegionFactory(code="110105001", name="建外街道", level=RegionLevel.STREET, parent=chaoyang)
    return {
        "city": city,
        "dongcheng": dongcheng,
        "chaoyang": chaoyang,
        "donghuamen": donghuamen,
        "jingshan": jingshan,
        "jianwai": jianwai,
        "duofuxiang": RegionFactory(
            code="110101001001", name="多福巷社区", level=RegionLevel.COMMUNITY, parent=donghuamen
        ),
        "yinzha": RegionFactory(code="110101001002", name="银闸社区", level=RegionLevel.COMMUNITY, parent=donghuamen),
        "longfusi": RegionFactory(code="110101002001", name="隆福寺社区", level=RegionLevel.COMMUNITY, parent=jingshan),
    }


@pytest.fixture
def categories(db):
    return make_categories()


def make_categories() -> dict:
    noise = CategoryFactory(code="noise", name="噪声扰民")
    market = CategoryFactory(code="market", name="市场监管")
    water = CategoryFactory(code="utilities", name="水电气热")
    other = CategoryFactory(code="other", name="其他")
    return {
        "noise": noise,
        "noise_construction": CategoryFactory(code="noise.construction", name="施工噪声", parent=noise),
        "noise_neighbour": CategoryFactory(code="noise.neighbour", name="邻里噪声", parent=noise),
        "market": market,
        "market_food": CategoryFactory(code="market.food", name="食品安全", parent=market),
        "utilities": water,
        "water_outage": CategoryFactory(code="utilities.water", name="停水", parent=water),
        "other": other,
        "other_misc": CategoryFactory(code="other.misc", name="其他问题", parent=other),
    }


@pytest.fixture
def units(beijing):
    return make_units(beijing)


def make_units(b: dict) -> dict:
    city = UnitFactory(code="bj", name="北京市人民政府", kind=UnitKind.CITY)
    dongcheng = UnitFactory(
        code="d-110101", name="东城区人民政府", kind=UnitKind.DISTRICT, parent=city, region=b["dongcheng"]
    )
    chaoyang = UnitFactory(
        code="d-110105", name="朝阳区人民政府", kind=UnitKind.DISTRICT, parent=city, region=b["chaoyang"]
    )
    donghuamen = UnitFactory(
        code="s-110101001",
        name="东华门街道办事处",
        kind=UnitKind.STREET_OFFICE,
        parent=dongcheng,
        region=b["donghuamen"],
    )
    return {
        "city": city,
        "centre": UnitFactory(code="centre", name="12345市民服务热线", kind=UnitKind.CENTRE, parent=city),
        "dongcheng": dongcheng,
        "chaoyang": chaoyang,
        "donghuamen": donghuamen,
        "jingshan": UnitFactory(
            code="s-110101002",
            name="景山街道办事处",
            kind=UnitKind.STREET_OFFICE,
            parent=dongcheng,
            region=b["jingshan"],
        ),
        "jianwai": UnitFactory(
            code="s-110105001",
            name="建外街道办事处",
            kind=UnitKind.STREET_OFFICE,
            parent=chaoyang,
            region=b["jianwai"],
        ),
        "duofuxiang": UnitFactory(
            code="c-110101001001",
            name="多福巷社区居委会",
            kind=UnitKind.COMMUNITY,
            parent=donghuamen,
            region=b["duofuxiang"],
        ),
        "yinzha": UnitFactory(
            code="c-110101001002",
            name="银闸社区居委会",
            kind=UnitKind.COMMUNITY,
            parent=donghuamen,
            region=b["yinzha"],
        ),
        "dc_market": UnitFactory(
            code="dep-110101-market",
            name="东城区市场监督管理局",
            kind=UnitKind.DEPARTMENT,
            department_kind=DepartmentKind.MARKET,
            parent=dongcheng,
            region=b["dongcheng"],
        ),
        "cy_market": UnitFactory(
            code="dep-110105-market",
            name="朝阳区市场监督管理局",
            kind=UnitKind.DEPARTMENT,
            department_kind=DepartmentKind.MARKET,
            parent=chaoyang,
            region=b["chaoyang"],
        ),
        "water": UnitFactory(
            code="u-water",
            name="北京市自来水集团",
            kind=UnitKind.UTILITY,
            department_kind=DepartmentKind.WATER,
            parent=city,
        ),
    }


@pytest.fixture
def rules(categories, units):
    """Noise → street office; market → district market regulator; water → the water utility.
    `other` has no rule and lands in triage."""
    return make_rules(categories, units)


def make_rules(categories: dict, units: dict) -> dict:
    return {
        "noise": RoutingRuleFactory(
            name="噪声→街道", category=categories["noise"], target_kind=TargetKind.STREET_OFFICE
        ),
        "market": RoutingRuleFactory(
            name="市场→区市场监管局",
            category=categories["market"],
            target_kind=TargetKind.DISTRICT_DEPARTMENT,
            department_kind=DepartmentKind.MARKET,
        ),
        "water": RoutingRuleFactory(
            name="停水→自来水集团",
            category=categories["utilities"],
            target_kind=TargetKind.FIXED,
            target_unit=units["water"],
        ),
    }


def _member(username, unit, role):
    user = UserFactory(username=username)
    MembershipFactory(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def people(units):
    """One person per role. Password for all: pass-word-123."""
    return make_people(units)


def make_people(units: dict) -> dict:
    return {
        "donghuamen_handler": _member("donghuamen_handler", units["donghuamen"], Role.HANDLER),
        "jingshan_handler": _member("jingshan_handler", units["jingshan"], Role.HANDLER),
        "duofuxiang_handler": _member("duofuxiang_handler", units["duofuxiang"], Role.HANDLER),
        "market_handler": _member("market_handler", units["dc_market"], Role.HANDLER),
        "dispatcher": _member("dispatcher", units["centre"], Role.DISPATCHER),
        "dongcheng_supervisor": _member("dongcheng_supervisor", units["dongcheng"], Role.SUPERVISOR),
        "chaoyang_supervisor": _member("chaoyang_supervisor", units["chaoyang"], Role.SUPERVISOR),
        "city_supervisor": _member("city_supervisor", units["city"], Role.SUPERVISOR),
        "nobody": UserFactory(username="nobody"),
    }


def built_once_for_a_module(django_db_blocker, *, extend=None):
    """conftest's regions, categories, units, rules and people (and what `extend(built)`
    adds), built once inside a transaction that is rolled back when the generator
    ends; each test then runs in a savepoint of its own (pytest-django's `db`), so
    each starts fresh. For a module-scoped fixture: `yield from` it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                built = {"beijing": make_beijing(), "categories": make_categories()}
                built["units"] = make_units(built["beijing"])
                built["rules"] = make_rules(built["categories"], built["units"])
                built["people"] = make_people(built["units"])
                if extend is not None:
                    extend(built)
        except BaseException:
            outer.__exit__(*sys.exc_info())
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def table_columns(table: str) -> list[str]:
    with connection.cursor() as cursor:
        return [column.name for column in connection.introspection.get_table_description(cursor, table)]


@pytest.fixture
def submit(beijing, categories, rules):
    """File a complaint through the service, run the on-commit routing, and return it
    fresh from the database. Defaults: construction noise at 多福巷社区."""
    return make_submit(beijing, categories)


def make_submit(beijing: dict, categories: dict):
    def _submit(category="noise_construction", region="duofuxiang", **overrides):
        fields = {
            "category": categories[category],
            "region": beijing[region],
            "address": "东华门大街 1 号",
            "description": "凌晨两点还在施工，噪声很大",
            "resident_name": "张三",
            "resident_phone": "13800138000",
        }
        fields.update(overrides)
        with TestCase.captureOnCommitCallbacks(execute=True):
            with transaction.atomic():
                complaint = complaint_submit(**fields)
        complaint.refresh_from_db()
        return complaint

    return _submit


@pytest.fixture
def tally(request):
    """Counts kept for the run's robustness table (tests/robustness.py)."""
    counts = robustness.Tally()
    yield counts
    robustness.tally_write(nodeid=request.node.nodeid, tally=counts)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 at full strength costs ~0.3 s a user; tests make dozens of users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _snapshots_from_each_tests_rows():
    """The category and place trees, and triage's counts of similar orders, outlive a
    test in this process's memory; its rollback sends no signal, so each test reads
    them from its own rows."""
    snapshots_drop_local()
    similar_kept.forget()


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Service and command messages follow the active language, which defaults to
    zh-hans. Tests assert the English source strings unless they opt into Chinese
    (tests/portal/test_i18n.py does)."""
    with translation.override("en"):
        yield


def pytest_runtest_setup(item):
    """`@pytest.mark.services` needs PostgreSQL and Redis (and skips without them);
    `@pytest.mark.services(redis=False)` needs PostgreSQL only, as a test of
    PostgreSQL's planner or bulk statements does. Under WHISTLE_REQUIRE_SERVICES=1
    a missing service fails the test instead (tests/services/conftest.py)."""
    marker = item.get_closest_marker("services")
    if marker is None:
        return
    from tests.services.conftest import missing_services, services_required

    missing = missing_services(redis_needed=marker.kwargs.get("redis", True))
    if not missing:
        return
    reason = "needs real services: " + "; ".join(missing)
    if services_required():
        pytest.fail(f"WHISTLE_REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


# Browser screenshots (tests/browser/conftest.py `screenshot`): one folder per run, named
# here so that xdist workers, which inherit the environment, share it; printed at the end.
def pytest_configure(config):
    if not os.environ.get("WHISTLE_SCREENSHOTS"):
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        os.environ["WHISTLE_SCREENSHOTS"] = str(Path(__file__).resolve().parent.parent / "var" / "screenshots" / stamp)
    if not os.environ.get(robustness.ENV):
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        os.environ[robustness.ENV] = str(Path(__file__).resolve().parent.parent / "var" / "robustness" / stamp)


def pytest_terminal_summary(terminalreporter):
    for line in robustness.summary_lines():
        terminalreporter.write_line(line)
    folder = Path(os.environ.get("WHISTLE_SCREENSHOTS", ""))
    if os.environ.get("WHISTLE_SCREENSHOTS") and folder.is_dir():
        count = sum(1 for _ in folder.glob("*.png"))
        terminalreporter.write_line(f"browser screenshots: {folder} ({count} files)")


@pytest.fixture
def sms_outbox(settings):
    """Text messages kept in memory (complaints.notices.sms.outbox), empty at the start and the end."""
    from complaints.notices import sms

    settings.WHISTLE_SMS_BACKEND = "complaints.notices.sms.LocmemBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture
def as_user():
    """A fresh client logged in as the given user, asking for English pages."""
    from django.test import Client

    def _as(user):
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(user)
        return client

    return _as
