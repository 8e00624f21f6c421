"""The 12345 centre's page on the personal data log: who saw which resident's
full contact details, where and when; filtered, paginated, and as CSV."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dispatch.forms.audit import PersonalDataLogForm
from dispatch.reports.exports import csv_response, export_filename
from dispatch.reports.periods import BEIJING
from dispatch.selectors.audit import AuditFilter, personal_data_views_for
from dispatch.views.common import paginate
from portal.errors import NotFound


@require_GET
def personal_data_log(request):
    """For the centre's dispatchers; 404 for anyone else, signed in or not, so the
    page does not even say it exists."""
    form = PersonalDataLogForm(request.GET)
    valid = form.is_valid()
    try:
        # A filter typed wrong shows its error and no rows, never rows it did not ask for.
        rows = personal_data_views_for(user=request.user, filters=form.filters() if valid else AuditFilter())
    except NotFound as exc:
        raise Http404 from exc
    if valid and request.GET.get("format") == "csv":
        return _csv(rows)
    page = paginate(request, rows if valid else rows.none())
    return render(
        request,
        "dispatch/audit/personal_data.html",
        {"form": form, "page": page, "valid": valid},
        status=200 if valid else 400,
    )


def _csv(rows):
    header = [_("When (Beijing time)"), _("Member of staff"), _("Tracking number"), _("Seen on")]
    lines = (
        [
            row.at.astimezone(BEIJING).replace(tzinfo=None, microsecond=0),
            row.user.get_username(),
            row.complaint.tracking_number,
            str(row.get_door_display()),
        ]
        for row in rows.iterator(chunk_size=2000)
    )
    filename = export_filename("personal-data-views", now=timezone.now(), extension="csv")
    return csv_response(filename=filename, header=header, rows=lines)
