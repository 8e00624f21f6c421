from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from dispatch.forms.reports import OverdueForm
from dispatch.reports.exports import (
    CSV_CELLS,
    XLSX_CELLS,
    csv_response,
    export_filename,
    overdue_header,
    overdue_rows,
    xlsx_response,
)
from dispatch.reports.overdue import SORTS, overdue_now, overdue_summary
from dispatch.selectors.attached import attach_to_complaints_of
from dispatch.views.reports.common import report_page

EXPORT_FORMATS = ("csv", "xlsx")
# The per-unit table shows the units with the most overdue first; a city has
# hundreds of units, so the rest wait behind a "show all" link (?units=all).
SUMMARY_ROWS = 30
# What a row of the page joins; its complaint's category and place come from the
# process's trees. With those four joined too, PostgreSQL spent 10-40 ms at a million
# rows planning the page's query, against some 2 ms reading its 25 rows.
ROW_JOINS = ("complaint", "unit", "holder")


@report_page
def overdue(request, scope, now):
    """Overdue orders in the user's reach, sortable, with a count per unit, and the
    same rows as CSV or XLSX. No residents' personal data: supervisors oversee
    units, not people."""
    form = OverdueForm(request.GET, now=now)
    params = form.params()
    sort, kinds = params["sort"], {"demand_type": params["demand_type"], "channel": params["channel"]}
    assignments = overdue_now(scope=scope, now=now, sort=sort, **kinds)
    export = request.GET.get("format")
    if export in EXPORT_FORMATS:
        return _export(export, assignments=assignments, now=now)
    summary = list(overdue_summary(scope=scope, now=now, **kinds))
    paginator = Paginator(assignments.select_related(None).select_related(*ROW_JOINS), settings.WHISTLE_PAGE_SIZE)
    paginator.count = sum(row["count"] for row in summary)  # already counted per unit: no COUNT(*) query
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    attach_to_complaints_of(page.object_list)
    all_units = request.GET.get("units") == "all"
    shown = summary if all_units else summary[:SUMMARY_ROWS]
    return render(
        request,
        "dispatch/overdue.html",
        {
            "page": page,
            "summary": shown,
            "summary_hidden": len(summary) - len(shown),
            "scope": scope,
            "sort": sort,
            "sorts": list(SORTS),
            "form": form,
            "is_filtered": any(kinds.values()),
            "now": now,
        },
    )


def _export(export: str, *, assignments, now):
    filename = export_filename("overdue", now=now, extension=export)
    if export == "csv":
        rows = overdue_rows(assignments, now=now, cells=CSV_CELLS)
        return csv_response(filename=filename, header=overdue_header(), rows=rows, made_as_csv_cells=True)
    rows = overdue_rows(assignments, now=now, cells=XLSX_CELLS)
    return xlsx_response(filename=filename, sheet_title=_("Overdue"), header=overdue_header(), rows=rows)
