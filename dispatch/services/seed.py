"""Reference data a deployment needs (regions, categories, the unit tree, routing
rules) and the demo accounts, all idempotent so `make run` can seed every time.

Beijing has some 8,000 units, one per street and community: they are compared
with what is stored and written in bulk, a generation at a time so each parent's
id and path are known before its children are written.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints.models import Category, Region, RegionLevel
from complaints.services.categories import categories_import, categories_load
from complaints.services.regions import BEIJING_DATA_DIR, ImportResult, regions_import
from dispatch.models import DepartmentKind, Membership, Role, RoutingRule, TargetKind, Unit, UnitKind
from dispatch.services.units import unit_path
from portal.errors import ActionRefused

RULES_FILE = Path(__file__).resolve().parent.parent / "data" / "routing_rules.json"
DEMO_PASSWORD = "whistle-demo"

CITY = ("bj", "北京市人民政府")
CENTRE = ("centre", "北京12345市民服务热线")
UTILITIES = (
    ("u-water", "北京市自来水集团", DepartmentKind.WATER),
    ("u-heating", "北京市热力集团", DepartmentKind.HEATING),
    ("u-power", "国网北京市电力公司", DepartmentKind.POWER),
    ("u-gas", "北京市燃气集团", DepartmentKind.GAS),
)
# Every district has one of each; the name follows the district's ("东城区" + suffix).
DEPARTMENTS = (
    (DepartmentKind.CITY_MANAGEMENT, "城市管理综合行政执法局"),
    (DepartmentKind.HOUSING, "住房和城乡建设委员会"),
    (DepartmentKind.MARKET, "市场监督管理局"),
    (DepartmentKind.HRSS, "人力资源和社会保障局"),
    (DepartmentKind.EDUCATION, "教育委员会"),
    (DepartmentKind.HEALTH, "卫生健康委员会"),
    (DepartmentKind.TRANSPORT, "交通局"),
    (DepartmentKind.PUBLIC_SECURITY, None),  # a branch of the city bureau: 北京市公安局东城分局
)


@dataclass(frozen=True)
class _Spec:
    code: str
    name: str
    kind: str
    parent: str | None
    region_id: int | None = None
    department_kind: str = ""


def street_office_name(street: str) -> str:
    """A street's office (街道办事处, 地区办事处), a township's government (镇/乡人民政府),
    a development zone's management committee."""
    if street.endswith(("镇", "乡")):
        return f"{street}人民政府"
    if street.endswith(("街道", "地区")):
        return f"{street}办事处"
    return f"{street}管理委员会"


def community_name(community: str) -> str:
    """Most NBS names are already the committee's (…社区居委会, …村委会, …居民委员会);
    some name only the place (…社区, …村, …生活区)."""
    if community.endswith(("委会", "委员会")):
        return community
    return f"{community}委会" if community.endswith("村") else f"{community}居委会"


def units_seed() -> ImportResult:
    """Create or update Beijing's unit tree from the imported regions."""
    generations = _unit_generations()
    try:
        with transaction.atomic():
            result = ImportResult()
            for specs in generations:
                result += _write_generation(specs=specs)
    except IntegrityError as error:
        raise ActionRefused(
            _("Another unit already serves one of these places (%(error)s); fix it in the admin.") % {"error": error}
        ) from error
    return result


def _unit_generations() -> list[list[_Spec]]:
    """The units to have, parents in an earlier generation than their children."""
    regions = list(Region.objects.filter(code__startswith="11").values_list("code", "id", "name", "level"))
    by_level = {level: [(code, pk, name) for code, pk, name, lvl in regions if lvl == level] for level in RegionLevel}
    if not by_level[RegionLevel.DISTRICT] or not by_level[RegionLevel.STREET]:
        raise ActionRefused(_("Import the regions first (manage.py import_regions)."))
    city, centre = CITY[0], CENTRE[0]
    top = [_Spec(code=centre, name=CENTRE[1], kind=UnitKind.CENTRE, parent=city)]
    top += [_Spec(code, name, UnitKind.UTILITY, city, department_kind=kind) for code, name, kind in UTILITIES]
    offices = []
    for code, pk, name in by_level[RegionLevel.DISTRICT]:
        top.append(_Spec(f"d-{code}", f"{name}人民政府", UnitKind.DISTRICT, city, pk))
        for kind, suffix in DEPARTMENTS:
            department = f"{name}{suffix}" if suffix else f"北京市公安局{name.removesuffix('区')}分局"
            offices.append(_Spec(f"dep-{code}-{kind}", department, UnitKind.DEPARTMENT, f"d-{code}", pk, kind))
    for code, pk, name in by_level[RegionLevel.STREET]:
        offices.append(_Spec(f"s-{code}", street_office_name(name), UnitKind.STREET_OFFICE, f"d-{code[:6]}", pk))
    committees = [
        _Spec(f"c-{code}", community_name(name), UnitKind.COMMUNITY, f"s-{code[:9]}", pk)
        for code, pk, name in by_level[RegionLevel.COMMUNITY]
    ]
    return [[_Spec(code=city, name=CITY[1], kind=UnitKind.CITY, parent=None)], top, offices, committees]


_COMPARED = ("name", "kind", "department_kind", "parent_id", "region_id", "path")


def _write_generation(*, specs: list[_Spec]) -> ImportResult:
    existing = {unit.code: unit for unit in Unit.objects.only("code", "path", *_COMPARED)}
    to_create, to_update = [], []
    for spec in specs:
        parent = existing[spec.parent] if spec.parent else None
        wanted = {
            "name": spec.name,
            "kind": spec.kind,
            "department_kind": spec.department_kind,
            "parent_id": parent.pk if parent else None,
            "region_id": spec.region_id,
            "path": unit_path(parent=parent, code=spec.code),
        }
        unit = existing.get(spec.code)
        if unit is None:
            to_create.append(Unit(code=spec.code, **wanted))
        elif any(getattr(unit, field) != value for field, value in wanted.items()):
            for field, value in wanted.items():
                setattr(unit, field, value)
            to_update.append(unit)
    Unit.objects.bulk_create(to_create, batch_size=500)
    Unit.objects.bulk_update(to_update, [field.removesuffix("_id") for field in _COMPARED], batch_size=500)
    return ImportResult(
        created=len(to_create), updated=len(to_update), unchanged=len(specs) - len(to_create) - len(to_update)
    )


def rules_seed(*, path: Path = RULES_FILE) -> ImportResult:
    """Create or update the routing rules in `dispatch/data/routing_rules.json`, matched by name."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ActionRefused(
            _("Cannot read routing rules from %(path)s: %(error)s") % {"path": path, "error": error}
        ) from error
    categories = dict(Category.objects.values_list("code", "id"))
    units = dict(Unit.objects.filter(kind=UnitKind.UTILITY).values_list("code", "id"))
    rows = [(row.get("name"), _rule_fields(row=row, categories=categories, units=units)) for row in _rule_rows(data)]
    existing = {rule.name: rule for rule in RoutingRule.objects.filter(name__in=[name for name, _f in rows])}
    result = ImportResult()
    with transaction.atomic():
        for name, wanted in rows:
            rule = existing.get(name)
            if rule is None:
                RoutingRule.objects.create(name=name, **wanted)
                result.created += 1
            elif any(getattr(rule, field) != value for field, value in wanted.items()):
                for field, value in wanted.items():
                    setattr(rule, field, value)
                rule.save(update_fields=[field.removesuffix("_id") for field in wanted])
                result.updated += 1
            else:
                result.unchanged += 1
    return result


def _rule_rows(data) -> list[dict]:
    if not isinstance(data, list) or not all(isinstance(row, dict) and row.get("name") for row in data):
        raise ActionRefused(_("Routing rules must be a list of objects, each with a name."))
    return data


def _rule_fields(*, row: dict, categories: dict[str, int], units: dict[str, int]) -> dict:
    """The rule's columns, or ActionRefused naming the rule that cannot be built."""
    target_kind, department_kind = row.get("target_kind"), row.get("department_kind", "")
    valid = (
        row.get("category") in categories
        and target_kind in TargetKind.values
        and (target_kind != TargetKind.FIXED or row.get("target_unit") in units)
        and type(row.get("priority", 0)) is int
        and (
            department_kind in DepartmentKind.values
            if target_kind == TargetKind.DISTRICT_DEPARTMENT
            else not department_kind
        )
    )
    if not valid:
        raise ActionRefused(
            _("Routing rule “%(name)s” has an unknown category, target or unit.") % {"name": row["name"]}
        )
    return {
        "category_id": categories[row["category"]],
        "region_id": None,
        "target_kind": target_kind,
        "target_unit_id": units[row["target_unit"]] if target_kind == TargetKind.FIXED else None,
        "department_kind": department_kind,
        "priority": row.get("priority", 0),
    }


def reference_seed() -> dict[str, ImportResult]:
    """Everything a real deployment needs, in one transaction."""
    with transaction.atomic():
        return {
            "regions": regions_import(source_dir=BEIJING_DATA_DIR),
            "categories": categories_import(data=categories_load()),
            "units": units_seed(),
            "rules": rules_seed(),
        }


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    unit: str | None
    role: str | None
    try_this: str


DEMO_ACCOUNTS = (
    DemoAccount(
        "dhm_handler",
        "东华门街道 接诉员",
        "s-110101001",
        Role.HANDLER,
        gettext_lazy("Sign for noise filed at 多福巷社区; hand one down to the community"),
    ),
    DemoAccount(
        "js_handler",
        "景山街道 接诉员",
        "s-110101002",
        Role.HANDLER,
        gettext_lazy("Sees only 景山街道's orders, none of 东华门's"),
    ),
    DemoAccount(
        "jw_handler",
        "建外街道 接诉员",
        "s-110105001",
        Role.HANDLER,
        gettext_lazy("A street office in another district (朝阳区)"),
    ),
    DemoAccount(
        "dfx_handler",
        "多福巷社区 接诉员",
        "c-110101001001",
        Role.HANDLER,
        gettext_lazy("Works what 东华门街道 hands down"),
    ),
    DemoAccount(
        "dc_market_handler",
        "东城区市场监管局 接诉员",
        "dep-110101-market",
        Role.HANDLER,
        gettext_lazy("Food safety and price complaints in 东城区"),
    ),
    DemoAccount(
        "dc_cm_handler",
        "东城区城管执法局 接诉员",
        "dep-110101-city_management",
        Role.HANDLER,
        gettext_lazy("Illegal construction and street vending in 东城区"),
    ),
    DemoAccount(
        "dispatcher",
        "12345中心 调度员",
        "centre",
        Role.DISPATCHER,
        gettext_lazy("Triage: file under 其他 and dispatch it by hand"),
    ),
    DemoAccount(
        "dc_supervisor",
        "东城区 督办员",
        "d-110101",
        Role.SUPERVISOR,
        gettext_lazy("Overdue orders and rankings for 东城区"),
    ),
    DemoAccount(
        "city_supervisor", "北京市 督办员", "bj", Role.SUPERVISOR, gettext_lazy("City-wide overdue orders and rankings")
    ),
    DemoAccount("admin", "系统管理员", None, None, gettext_lazy("Django admin at /admin/")),
)


def demo_accounts_seed(*, reset_passwords: bool = False) -> ImportResult:
    """The demo people and their memberships. The password is set when an account
    is created (or on request): hashing it again on every `make run` would cost
    seconds and undo a password someone changed on purpose."""
    User = get_user_model()
    units = {unit.code: unit for unit in Unit.objects.filter(code__in=[a.unit for a in DEMO_ACCOUNTS if a.unit])}
    if len(units) != len({a.unit for a in DEMO_ACCOUNTS if a.unit}):
        raise ActionRefused(_("Seed the units first (manage.py seed_reference)."))
    result = ImportResult()
    with transaction.atomic():
        for account in DEMO_ACCOUNTS:
            is_admin = account.unit is None
            user, created = User.objects.get_or_create(username=account.username)
            wanted = {
                "first_name": account.first_name,
                "is_staff": is_admin,
                "is_superuser": is_admin,
                "is_active": True,
            }
            changed = [field for field, value in wanted.items() if getattr(user, field) != value]
            for field in changed:
                setattr(user, field, wanted[field])
            if created or reset_passwords or not user.has_usable_password():
                user.set_password(DEMO_PASSWORD)
                changed.append("password")
            if changed:
                user.save(update_fields=changed)
            joined = False
            if not is_admin:
                _membership, joined = Membership.objects.get_or_create(
                    user=user, unit=units[account.unit], role=account.role
                )
            if created:
                result.created += 1
            elif changed or joined:
                result.updated += 1
            else:
                result.unchanged += 1
    return result
