"""Exports never carry a live formula: a unit, category or place named like a
formula is shown as its text in CSV (apostrophe-prefixed) and stored as a string
in XLSX. The names come from memory (unit names read per export, the category and
place snapshots), so a rename shows in the next export."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.utils.escape import unescape

from dispatch.reports.exports import FORMULA_STARTS

OVERDUE = reverse("dispatch:overdue")
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
HOSTILE = ["=1+1", "+SUM(A1:A9)", "-2+3", "@SUM(A1)", "\t=cmd", "\r=cmd"]

pytestmark = pytest.mark.django_db


def export(client, fmt):
    with time_machine.travel(T0 + timedelta(hours=30), tick=False):
        return client.get(OVERDUE, {"format": fmt})


@pytest.mark.parametrize("name", HOSTILE)
def test_a_unit_named_like_a_formula_is_inert_text_in_csv(client, submit, units, people, name):
    with time_machine.travel(T0, tick=False):
        submit()
    units["donghuamen"].name = name
    units["donghuamen"].save(update_fields=["name"])
    client.force_login(people["city_supervisor"])
    response = export(client, "csv")
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'" + name in cells
    assert not any(cell.startswith(FORMULA_STARTS) for cell in cells if isinstance(cell, str))


@pytest.mark.parametrize("name", HOSTILE)
def test_a_unit_named_like_a_formula_is_a_string_cell_in_xlsx(client, submit, units, people, name):
    with time_machine.travel(T0, tick=False):
        submit()
    units["donghuamen"].name = name
    units["donghuamen"].save(update_fields=["name"])
    client.force_login(people["city_supervisor"])
    response = export(client, "xlsx")
    cells = _xlsx_cells(response)
    # A carriage return is stored escaped (_x000D_), as Excel stores it; openpyxl leaves it so.
    assert name in [unescape(cell.value) for cell in cells if isinstance(cell.value, str)]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]


def _xlsx_cells(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [cell for row in sheet.iter_rows(min_row=2) for cell in row]


def _csv_cells(response):
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    return [cell for row in rows[1:] for cell in row]


@pytest.fixture
def hostile_category_and_place(submit, categories, beijing):
    """A complaint whose category group and street are named like formulas: the
    export's "group / category" and "street › community" then start with them."""
    with time_machine.travel(T0, tick=False):
        submit()
    categories["noise"].name = "=1+1"
    categories["noise"].save(update_fields=["name"])
    beijing["donghuamen"].name = "@SUM(A1)"
    beijing["donghuamen"].save(update_fields=["name"])


def test_a_category_and_a_place_named_like_formulas_are_inert_in_csv(client, people, hostile_category_and_place):
    client.force_login(people["city_supervisor"])
    cells = _csv_cells(export(client, "csv"))
    assert "'=1+1 / 施工噪声" in cells
    assert "'@SUM(A1) › 多福巷社区" in cells
    assert not any(cell.startswith(FORMULA_STARTS) for cell in cells)


def test_a_category_and_a_place_named_like_formulas_are_strings_in_xlsx(client, people, hostile_category_and_place):
    client.force_login(people["city_supervisor"])
    cells = _xlsx_cells(export(client, "xlsx"))
    values = [cell.value for cell in cells]
    assert "=1+1 / 施工噪声" in values
    assert "@SUM(A1) › 多福巷社区" in values
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
