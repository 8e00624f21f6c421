"""CSV and XLSX downloads of report rows.

CSV is UTF-8 with a byte-order mark: without it Excel on a Chinese Windows opens
the file as GBK and the unit names come out garbled. Neither file carries any
resident's personal data: supervisors oversee units, not people.

Neither file ever carries a live formula. Unit, category and place names are typed
by people; a name such as `=HYPERLINK(…)` would run when a supervisor opens the
file. In CSV a text cell that a spreadsheet would read as a formula (starting with
`=`, `+`, `-`, `@`, a tab or a carriage return) is prefixed with an apostrophe, as
OWASP advises; in XLSX every text cell is written as a string, never a formula.
"""

import csv
import io
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import datetime
from functools import cache
from itertools import chain, islice

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from complaints.models import Channel, DemandType, RegionLevel
from dispatch.models import Assignment, AssignmentRole, AssignmentStatus
from dispatch.reports.periods import BEIJING
from dispatch.templatetags.desk import SEPARATOR

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WIDTH_SAMPLE = 200  # rows read to size the columns; the rest stream through
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATETIME_WIDTH = 16  # "yyyy-mm-dd hh:mm"
MAX_WIDTH = 60
EXPORT_CHUNK = 2000  # rows fetched from the database at a time
CSV_BATCH = 500  # rows written per streamed chunk
OVERDUE_FIELDS = (
    "complaint__tracking_number",
    "unit__name",
    "holder__name",
    "complaint__category__name",
    "complaint__category__parent__name",
    "complaint__demand_type",
    "complaint__channel",
    "complaint__region__name",
    "complaint__region__level",
    "complaint__region__parent__name",
    "status",
    "next_due",
    "role",
)


def overdue_header() -> list[str]:
    return [
        _("Tracking number"),
        _("Unit"),
        _("Handled by"),
        _("Category"),
        _("Demand type"),
        _("Channel"),
        _("Place"),
        _("Status"),
        _("Was due (Beijing time)"),
        _("Hours overdue"),
        _("Summons"),
    ]


def overdue_rows(assignments: QuerySet[Assignment], *, now: datetime) -> Iterator[list]:
    """The same rows the page lists, read as plain values a chunk at a time (no
    model instances, never the whole list in memory); the due time as a naive
    Beijing datetime so spreadsheets show the local clock. Labels are taken now,
    in the request's language, not when a streamed response is read."""
    demand_types = {code: str(label) for code, label in DemandType.choices}
    channels = {code: str(label) for code, label in Channel.choices}
    statuses = {code: str(label) for code, label in AssignmentStatus.choices}
    summons = _("Summons (吹哨)")
    values = assignments.values_list(*OVERDUE_FIELDS).iterator(chunk_size=EXPORT_CHUNK)
    return (
        [
            tracking_number,
            unit,
            holder,
            f"{category_parent} / {category}" if category_parent else category,
            demand_types.get(demand_type, demand_type),
            channels.get(channel, channel),
            _place(region, level=region_level, parent=region_parent),
            statuses.get(status, status),
            next_due.astimezone(BEIJING).replace(tzinfo=None, microsecond=0),
            round((now - next_due).total_seconds() / 3600, 1),
            summons if role == AssignmentRole.CO_HANDLER else "",
        ]
        for (
            tracking_number,
            unit,
            holder,
            category,
            category_parent,
            demand_type,
            channel,
            region,
            region_level,
            region_parent,
            status,
            next_due,
            role,
        ) in values
    )


def _place(name: str, *, level: str, parent: str | None) -> str:
    """As the desk's `place` filter: "street › community" for a community, the name alone above that."""
    return f"{parent}{SEPARATOR}{name}" if level == RegionLevel.COMMUNITY and parent else name


def _attachment(response: HttpResponseBase, filename: str) -> HttpResponseBase:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(*, filename: str, header: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    """Streamed: the first bytes leave before the last rows are read."""
    response = StreamingHttpResponse(_csv_chunks(header, rows), content_type="text/csv; charset=utf-8")
    return _attachment(response, filename)


def _csv_chunks(header: list[str], rows: Iterable[list]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(header)
    rows = iter(rows)
    while True:
        batch = list(islice(rows, CSV_BATCH))
        writer.writerows([_csv_value(v) for v in row] for row in batch)
        if buffer.tell():
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
        if len(batch) < CSV_BATCH:
            return


def _csv_value(value):
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def xlsx_response(*, filename: str, sheet_title: str, header: list[str], rows: Iterable[list]) -> HttpResponse:
    openpyxl = _openpyxl()
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    rows = iter(rows)
    sample = list(islice(rows, WIDTH_SAMPLE))
    # A write-only sheet takes widths and the frozen header only before its first row.
    for index, width in enumerate(_column_widths(header, sample), start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([_cell(sheet, title, font=openpyxl.styles.Font(bold=True)) for title in header])
    for row in chain(sample, rows):
        sheet.append([_xlsx_value(sheet, v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE), filename)


def _column_widths(header: list[str], sample: list[list]) -> list[float]:
    """Widths from the header and the first rows, in Excel's character units: a
    Chinese character takes two, a date-time its formatted length."""
    widths = [_display_width(title) for title in header]
    for row in sample:
        for index, value in enumerate(row[: len(widths)]):
            widths[index] = max(widths[index], DATETIME_WIDTH if isinstance(value, datetime) else _display_width(value))
    return [min(width + 2, MAX_WIDTH) for width in widths]


def _display_width(value) -> int:
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _xlsx_value(sheet, value):
    if isinstance(value, datetime):
        return _cell(sheet, value, number_format="yyyy-mm-dd hh:mm")
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        # openpyxl would store "=…" as a formula; a string cell is shown, never run.
        cell = _cell(sheet, value)
        cell.data_type = "s"
        return cell
    return value


@cache
def _openpyxl():
    """openpyxl costs a process some 14 MB: loaded by the first export, not by every worker."""
    import openpyxl.cell
    import openpyxl.styles
    import openpyxl.utils

    return openpyxl


def _cell(sheet, value, *, font=None, number_format=None):
    cell = _openpyxl().cell.WriteOnlyCell(sheet, value=value)
    if font is not None:
        cell.font = font
    if number_format is not None:
        cell.number_format = number_format
    return cell


def export_filename(stem: str, *, now: datetime, extension: str) -> str:
    """`overdue-20261126-0930.csv`, stamped in Beijing time; ASCII so every browser keeps it."""
    return f"{stem}-{now.astimezone(BEIJING):%Y%m%d-%H%M}.{extension}"
