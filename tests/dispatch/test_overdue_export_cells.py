"""The overdue XLSX, read back with openpyxl: date-times are date cells, text that
looks like a formula is a string, the header is bold and frozen; and the writer
(dispatch/reports/xlsx.py) keeps every value as it was given."""

import io
import zipfile
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.utils.escape import unescape

from dispatch.reports import exports
from dispatch.reports.xlsx import sheet_name, xlsx_write

OVERDUE = reverse("dispatch:overdue")
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in Beijing
LATER = T0 + timedelta(hours=30)


def _sheet(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def _export_xlsx(client):
    with time_machine.travel(LATER, tick=False):
        response = client.get(OVERDUE, {"format": "xlsx"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return _sheet(response.content)


@pytest.mark.django_db
def test_the_overdue_xlsx_has_date_cells_string_cells_and_a_frozen_bold_header(client, submit, units, people):
    with time_machine.travel(T0, tick=False):
        submit()
    units["donghuamen"].name = "=HYPERLINK(1)"
    units["donghuamen"].save(update_fields=["name"])
    client.force_login(people["city_supervisor"])

    sheet = _export_xlsx(client)

    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])
    row = sheet[2]
    due = row[8]
    assert due.is_date and due.value == datetime(2026, 3, 3, 9, 0) and due.number_format == "yyyy-mm-dd hh:mm"
    unit = row[1]
    assert (unit.value, unit.data_type) == ("=HYPERLINK(1)", "s")
    assert (row[9].value, row[9].data_type) == (6.0, "n")
    assert row[10].value is None  # a lead order: no summons


@pytest.mark.django_db
def test_a_place_missing_from_the_snapshot_is_read_on_its_own(client, submit, people, monkeypatch):
    """A place saved after this process's snapshot was taken still gets its name."""
    with time_machine.travel(T0, tick=False):
        submit()
    monkeypatch.setattr(exports, "_place_labels", lambda: iter(()))
    client.force_login(people["city_supervisor"])
    assert _export_xlsx(client)[2][6].value == "东华门街道 › 多福巷社区"


def _written(rows, *, header=("A", "B"), widths=(10, 12), title="Sheet"):
    buffer = io.BytesIO()
    xlsx_write(buffer, sheet_title=title, header=list(header), rows=rows, widths=list(widths))
    return buffer.getvalue()


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        "\r=cmd",
        "\t=cmd",
        "a & b < c > d \"e\" 'f'",
        "  leading and trailing  ",
        "line\nbreak",
        "bell\x07 and nul\x00",
        "literal _x000D_ stays literal",
        "东华门街道 › 多福巷社区",
        "http://example.com/",
    ],
)
def test_every_text_reads_back_as_it_was_written(text):
    cell = _sheet(_written([[text, "x"]]))["A2"]
    assert cell.data_type == "s"
    assert unescape(cell.value) == text


def test_numbers_dates_and_empty_values_keep_their_kinds():
    due = datetime(2026, 3, 3, 9, 30, 15)
    sheet = _sheet(_written([[6.0, 12, Decimal("2.5"), due, None, "", True]], header=["h"] * 7, widths=[8] * 7))
    cells = sheet[2]
    assert [cell.value for cell in cells[:4]] == [6.0, 12, 2.5, due]
    assert cells[3].is_date
    assert [cell.value for cell in cells[4:6]] == [None, None]
    assert cells[6].value is True


def test_a_datetime_with_a_time_zone_is_refused():
    with pytest.raises(TypeError, match="naive"):
        _written([[datetime(2026, 3, 3, 9, 0, tzinfo=UTC), "x"]])


def test_widths_and_the_sheet_name_are_kept():
    sheet = _sheet(_written([["a", "b"]], widths=(18, 30.5), title="Overdue"))
    assert sheet.title == "Overdue"
    # Excel's own padding aside, each column is as wide as asked.
    assert sheet.column_dimensions["A"].width == 18 and sheet.column_dimensions["B"].width == 30.5


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("超期工单", "超期工单"),
        ("a/b:c*d?[e]\\f", "a b c d  e  f"),
        ("'quoted'", "quoted"),
        ("", "Sheet1"),
        ("x" * 40, "x" * 31),
    ],
)
def test_a_sheet_title_becomes_a_name_excel_accepts(title, name):
    assert sheet_name(title) == name


def test_the_file_is_a_zip_excel_recognises():
    with zipfile.ZipFile(io.BytesIO(_written([["a", 1]]))) as archive:
        names = archive.namelist()
        assert names[0] == "[Content_Types].xml"
        assert {"xl/workbook.xml", "xl/styles.xml", "xl/worksheets/sheet1.xml", "_rels/.rels"} <= set(names)
        assert archive.testzip() is None
