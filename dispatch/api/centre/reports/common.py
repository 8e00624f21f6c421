"""What every report endpoint shares: the scope (from the user and `?unit=`), the
parameters checked by the page's form, and the description of the scope."""

from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from dispatch.reports.scope import ReportScope, report_scope_for
from portal.api.schema import errors

# Someone with no reports gets 404 (as the pages); a unit outside their reach, 403.
ERRORS = errors(400, 401, 403, 404)

UNIT_PARAMETER = OpenApiParameter(
    "unit", int, description="Narrow the report to this unit's subtree (403 when it is outside yours)."
)
PAGE_PARAMETERS = [
    OpenApiParameter("page", int, description="The page number, from 1."),
    OpenApiParameter("page_size", int, description="Rows per page (at most 100)."),
]


def scope_of(request) -> ReportScope:
    return report_scope_for(user=request.user, unit_id=request.query_params.get("unit"))


def checked(form_class, request, *, now) -> dict:
    """The page form's cleaned parameters (missing ones take its defaults), or 400."""
    return form_class(request.query_params, now=now).checked_params()


class ScopeUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()

    class Meta:
        ref_name = "ReportScopeUnit"


class ScopeSerializer(serializers.Serializer):
    city_wide = serializers.BooleanField(help_text="The whole city (the 12345 centre's reports).")
    unit = ScopeUnitSerializer(allow_null=True, help_text="The unit the report is narrowed to, if any.")

    class Meta:
        ref_name = "ReportScope"


class PageSerializer(serializers.Serializer):
    """The paging part of a report that lists rows a page at a time."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)


def page_envelope(paginator) -> dict:
    """Count and links of the page `paginator` just cut."""
    return {
        "count": paginator.page.paginator.count,
        "next": paginator.get_next_link(),
        "previous": paginator.get_previous_link(),
    }
