"""The unit tree for a city's divisions: the city, the 12345 centre, utilities,
district governments and their departments, a street office per street and a
committee per community.

Beijing has some 8,000 units: they are compared with what is stored and written in
bulk, a generation at a time so each parent's id and path are known before its
children are written.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from complaints.models import Region, RegionLevel
from complaints.services.regions import ImportResult
from dispatch.models import DepartmentKind, Unit, UnitKind
from dispatch.selectors.offered_units import offered_units_forget
from dispatch.services.routing_snapshot import routing_snapshot_forget
from dispatch.services.units import unit_path
from portal.errors import ActionRefused

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
            # Bulk writes send no signals.
            routing_snapshot_forget()
            offered_units_forget()
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
