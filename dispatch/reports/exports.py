"""CSV and XLSX downloads of report rows.

CSV is UTF-8 with a byte-order mark: without it Excel on a Chinese Windows opens
the file as GBK and the unit names come out garbled. Neither file carries any
resident's personal data: supervisors oversee units, not people.

Neither file ever carries a live formula. Unit, category and place names are typed
by people; a name such as `=HYPERLINK(…)` would run when a supervisor opens the
file. In CSV a text cell that a spreadsheet would read as a formula (starting with
`=`, `+`, `-`, `@`, a tab or a carriage return) is prefixed with an apostrophe, as
OWASP advises; in XLSX every text cell is written as a string, never a formula.

A city-wide overdue export is some 18,000 rows at a million complaints, so its
per-row work is kept small. The query joins only what it filters on (the
assignment, its complaint and its unit); the unit, category and place names come
from memory (unit names read once per export, the category and place labels once
per snapshot of their trees), each made into a cell the first time a row needs it
rather than once per row; a due time becomes Beijing time by adding eight hours
(`beijing_wall_time`), not by a time-zone lookup; and XLSX is written by
dispatch/reports/xlsx.py.
"""

import csv
import io
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from itertools import chain, islice

from django.db import connections, transaction
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from complaints.models import Category, Channel, DemandType, Region, RegionLevel
from complaints.services.categories import category_tree
from complaints.services.regions import place_tree
from dispatch.models import Assignment, AssignmentRole, AssignmentStatus, Unit
from dispatch.reports.periods import BEIJING, beijing_wall_time
from dispatch.reports.xlsx import xlsx_write
from dispatch.templatetags.desk import SEPARATOR

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WIDTH_SAMPLE = 200  # rows read to size the columns; the rest stream through
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATETIME_WIDTH = 16  # "yyyy-mm-dd hh:mm"
MAX_WIDTH = 60
EXPORT_CHUNK = 2000  # rows fetched from the database at a time
CSV_BATCH = 500  # rows written per streamed chunk
# Ids, not names, for the units, category and place: the names come from memory,
# which spares the query four joins a row. The unit is still joined: the scope
# filters on its path.
OVERDUE_FIELDS = (
    "complaint__tracking_number",
    "unit_id",
    "holder_id",
    "complaint__category_id",
    "complaint__demand_type",
    "complaint__channel",
    "complaint__region_id",
    "status",
    "next_due",
    "role",
)


@dataclass(frozen=True)
class CellKind:
    """How one file format writes a row's text, its date-times, and a stored (aware)
    moment in Beijing time. The rows of a report are made with one, so each name
    becomes a cell once, not once a row."""

    text: Callable[[str], str]
    datetime: Callable[[datetime], object]
    moment: Callable[[datetime], object]


def csv_text(value: str) -> str:
    """Text a spreadsheet would read as a formula, behind an apostrophe (OWASP)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_datetime(value: datetime) -> str:
    """To the minute, "2026-03-03 09:00" (isoformat: a third of strftime's time)."""
    return value.isoformat(" ", "minutes") if value.tzinfo is None else f"{value:%Y-%m-%d %H:%M}"


def csv_moment(value: datetime) -> str:
    """An aware moment as `csv_datetime` writes its Beijing time."""
    return beijing_wall_time(value).isoformat(" ", "minutes")


def xlsx_moment(value: datetime) -> datetime:
    """An aware moment as a naive Beijing time to the second (XLSX has no zones)."""
    return beijing_wall_time(value).replace(microsecond=0)


CSV_CELLS = CellKind(text=csv_text, datetime=csv_datetime, moment=csv_moment)
# XLSX writes every text as a string and every datetime as a date: values as they are.
XLSX_CELLS = CellKind(text=str, datetime=lambda value: value, moment=xlsx_moment)


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


def overdue_rows(assignments: QuerySet[Assignment], *, now: datetime, cells: CellKind) -> Iterator[list]:
    """The same rows the page lists, as `cells` writes them, read as plain values
    a chunk at a time (no model instances, never the whole list in memory); the
    due time in Beijing time so spreadsheets show the local clock. Labels are
    taken now, in the request's language, not when a streamed response is read;
    the rows, and the names they need, are read when the first row is asked for."""
    text = cells.text
    labels = {
        "demand_types": {code: text(str(label)) for code, label in DemandType.choices},
        "channels": {code: text(str(label)) for code, label in Channel.choices},
        "statuses": {code: text(str(label)) for code, label in AssignmentStatus.choices},
        "summons": text(_("Summons (吹哨)")),
    }
    return _overdue_rows(assignments, now=now, cells=cells, **labels)


def _overdue_rows(assignments, *, now, cells, demand_types, channels, statuses, summons) -> Iterator[list]:
    text, moment = cells.text, cells.moment
    units = _Cells(text, dict(Unit.objects.order_by().values_list("pk", "name")), read_one=_unit_name)
    categories = _Cells(text, _category_labels(), read_one=_category_label)
    places = _Cells(text, _place_labels(), read_one=_place_label)
    co_handler = AssignmentRole.CO_HANDLER
    values = _values_uncompiled(assignments.values_list(*OVERDUE_FIELDS))
    for tracking_number, unit_id, holder_id, category_id, demand_type, channel, region_id, status, due, role in values:
        yield [
            text(tracking_number),
            units[unit_id],
            units[holder_id],
            categories[category_id],
            demand_types.get(demand_type, demand_type),
            channels.get(channel, channel),
            places[region_id],
            statuses.get(status, status),
            moment(due),
            round((now - due).total_seconds() / 3600, 1),
            summons if role == co_handler else "",
        ]


def _values_uncompiled(values: QuerySet) -> Iterator[tuple]:
    """The rows a chunk at a time, in one read-only transaction whose plan PostgreSQL does
    not JIT-compile. For a cursor it plans to return the first rows fast, a plan it costs
    above `jit_above_cost` at a city's thousands of rows, and the compiling took longer
    than it saved. Inside the transaction the cursor also streams rather than being read
    whole into a held copy before the first chunk leaves."""
    using = values.db  # read while the stream is sent: the replica when the export reads it
    with transaction.atomic(using=using):
        if connections[using].vendor == "postgresql":
            with connections[using].cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        yield from values.iterator(chunk_size=EXPORT_CHUNK)


class _Cells(dict):
    """Cells by primary key, each made from its name the first time a row needs it
    (a city-wide export meets a few hundred of its thousands of units). A row saved
    after the names were read (a unit, category or place newer than the process's
    snapshot) is read on its own."""

    def __init__(self, text: Callable[[str], str], names: Mapping[int, str], *, read_one: Callable[[int], str]):
        super().__init__()
        self._names = names
        self._text = text
        self._read_one = read_one

    def __missing__(self, pk: int) -> str:
        name = self._names[pk] if pk in self._names else self._read_one(pk)
        cell = self[pk] = self._text(name)
        return cell


# The labels last made from each tree, and the tree they were made from.
_labels_kept: dict[str, tuple[object, dict[int, str]]] = {}


def _labels_of(kind: str, tree, make: Callable[[], Iterator[tuple[int, str]]]) -> dict[int, str]:
    """Labels made once per snapshot of a tree (a newer snapshot replaces them): read them, never change them."""
    kept = _labels_kept.get(kind)
    if kept is not None and kept[0] is tree:
        return kept[1]
    labels = dict(make())
    _labels_kept[kind] = (tree, labels)
    return labels


def _category_labels() -> dict[int, str]:
    tree = category_tree()
    return _labels_of(
        "categories", tree, lambda: ((pk, _category_label_of(category)) for pk, category in tree.by_pk.items())
    )


def _category_label(pk: int) -> str:
    return _category_label_of(Category.objects.select_related("parent").get(pk=pk))


def _category_label_of(category: Category) -> str:
    """A sub-category as "group / category", as the page shows it; a group by its name alone."""
    return f"{category.parent.name} / {category.name}" if category.parent_id else category.name


def _place_labels() -> dict[int, str]:
    tree = place_tree()
    return _labels_of("places", tree, lambda: _place_labels_in(tree.by_code))


def _place_labels_in(by_code) -> Iterator[tuple[int, str]]:
    for row in by_code.values():
        parent = by_code.get(row.parent_code) if row.parent_code else None
        yield row.pk, _place(row.name, level=row.level, parent=parent.name if parent else None)


def _place_label(pk: int) -> str:
    region = Region.objects.select_related("parent").get(pk=pk)
    return _place(region.name, level=region.level, parent=region.parent.name if region.parent_id else None)


def _unit_name(pk: int) -> str:
    return Unit.objects.values_list("name", flat=True).get(pk=pk)


def _place(name: str, *, level: str, parent: str | None) -> str:
    """As the desk's `place` filter: "street › community" for a community, the name alone above that."""
    return f"{parent}{SEPARATOR}{name}" if level == RegionLevel.COMMUNITY and parent else name


def _attachment(response: HttpResponseBase, filename: str) -> HttpResponseBase:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(
    *, filename: str, header: list[str], rows: Iterable[list], made_as_csv_cells: bool = False
) -> StreamingHttpResponse:
    """Streamed: the first bytes leave before the last rows are read. Each cell is
    made inert and each date-time formatted here, unless the rows were made with
    CSV_CELLS already (`made_as_csv_cells`), as a report's rows are."""
    if not made_as_csv_cells:
        rows = map(_csv_cells, rows)
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
        writer.writerows(batch)
        if buffer.tell():
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
        if len(batch) < CSV_BATCH:
            return


def _csv_cells(row: list) -> list:
    return [
        csv_text(value) if isinstance(value, str) else csv_datetime(value) if isinstance(value, datetime) else value
        for value in row
    ]


def xlsx_response(*, filename: str, sheet_title: str, header: list[str], rows: Iterable[list]) -> HttpResponse:
    """One sheet, its header bold and frozen, its columns sized from the first rows."""
    rows = iter(rows)
    sample = list(islice(rows, WIDTH_SAMPLE))
    buffer = io.BytesIO()
    xlsx_write(
        buffer, sheet_title=sheet_title, header=header, rows=chain(sample, rows), widths=_column_widths(header, sample)
    )
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


def export_filename(stem: str, *, now: datetime, extension: str) -> str:
    """`overdue-20261126-0930.csv`, stamped in Beijing time; ASCII so every browser keeps it."""
    return f"{stem}-{now.astimezone(BEIJING):%Y%m%d-%H%M}.{extension}"
