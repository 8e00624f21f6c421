"""Exports never carry a live formula: a unit or category named like a formula is
shown as its text in CSV (apostrophe-prefixed) and stored as a string in XLSX."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

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
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    # XML keeps no carriage return: the cell holds the text with a line feed instead.
    assert name.replace("\r", "\n") in [cell.value for cell in cells]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]


def test_numbers_and_ordinary_names_are_left_alone(client, submit, units, people):
    with time_machine.travel(T0, tick=False):
        complaint = submit()
    client.force_login(people["city_supervisor"])
    rows = list(csv.reader(io.StringIO(export(client, "csv").getvalue().decode("utf-8-sig"))))
    assert rows[1][0] == complaint.tracking_number
    assert rows[1][1] == units["donghuamen"].name
