"""Requests refused before any view runs, so no door has to remember them."""

import json

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _

from portal.db_router import allow_replica_reads, end_replica_reads, replica_reads, replica_reads_allowed

NUL_MARKS = ("\x00", "%00")
# What a body may declare itself to be in; the portal reads and writes nothing else.
BODY_CHARSETS = frozenset({"utf-8"})
BODY_METHODS = ("POST", "PUT", "PATCH")
JSON_NUL_MARKS = (b"\x00", b"\\u0000")
# The reports and exports (by URL name) whose reads of report data may go to the read replica.
REPLICA_READ_VIEWS = frozenset(
    {
        "dispatch:report_index",
        "dispatch:report_rankings",
        "dispatch:report_trends",
        "dispatch:report_hotspots",
        "dispatch:report_map",
        "dispatch:report_map_open",
        "dispatch:report_map_heat",
        "dispatch:overdue",
        "dispatch:personal_data_log",
        "dispatch_api:report_overdue",
        "dispatch_api:report_rankings",
        "dispatch_api:report_trends",
        "dispatch_api:report_hotspots",
        "public:transparency",
        "public:transparency_data",
    }
)
REPLICA_READ_METHODS = ("GET", "HEAD")


class RefuseNulBytesMiddleware:
    """A NUL character in the path, the query string or a form or JSON body is a 400.

    No real input carries one, and PostgreSQL refuses it in text columns, so left
    alone it would end as a server error in whichever query met it first. Refusing
    it here, once, keeps every page, API and Open311 endpoint free of that 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            fields = _fields_with_nul(request)
        except RequestDataTooBig:
            # A page's form would see an empty body and ask for every field again;
            # say what is wrong instead. (The API and Open311 answer it in their own shape.)
            message = _("The request is too large. Shorten the text or send fewer or smaller photos.")
            return refusal(request, message, status=413, code="too_large")
        if fields is not None:
            message = _("The request contains a NUL character, which is never valid input.")
            return refusal(request, message, fields=fields)
        return self.get_response(request)


class RefuseForeignCharsetMiddleware:
    """A body declared in any charset but UTF-8 is a 400, before anything reads it.

    Django decodes a form body with the declared charset: an unknown one (`x-foo`)
    raises LookupError deep inside `request.POST`, and a legacy one (`gbk`) is refused
    only once something touches the body — in a view, or in the error handler itself.
    Every form, API and Open311 client the portal serves sends UTF-8.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        charset = (request.content_params or {}).get("charset", "").strip().strip('"').lower()
        if request.method in BODY_METHODS and charset and charset not in BODY_CHARSETS:
            message = _("The request body must be sent in UTF-8; “%(charset)s” is not accepted.") % {
                "charset": charset[:40]
            }
            return refusal(request, message, status=400, code="invalid_charset")
        return self.get_response(request)


class ReplicaReadsMiddleware:
    """Reports and exports read report data from the read replica (portal/db_router.py).

    Decided here, by the resolved URL name, so the report code needs no `using()`.
    Only GET and HEAD: a request that writes reads the primary throughout. A
    streamed export reads its rows while the response is sent, after the view has
    returned, so its stream carries the switch with it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        end_replica_reads()  # nothing left over from an earlier request on this thread
        try:
            response = self.get_response(request)
            # False again if the view wrote: then its stream reads the primary too.
            stream_reads_replica = replica_reads_allowed()
        finally:
            end_replica_reads()
        if stream_reads_replica and response.streaming and not response.is_async:
            response.streaming_content = _reading_replica(response.streaming_content)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if request.method in REPLICA_READ_METHODS and match is not None and match.view_name in REPLICA_READ_VIEWS:
            allow_replica_reads()


def _reading_replica(chunks):
    with replica_reads():
        yield from chunks


def _fields_with_nul(request) -> list[str] | None:
    """The names of the inputs that carry a NUL (empty when it is in the path or
    somewhere nameless), or None when the request is clean."""
    if any(mark in request.path_info for mark in NUL_MARKS):
        return []
    named = [key for key, values in request.GET.lists() if _has_nul(key, values)]
    if named or any(mark in request.META.get("QUERY_STRING", "") for mark in NUL_MARKS):
        return named
    if request.method not in ("POST", "PUT", "PATCH"):
        return None
    try:
        return _body_fields_with_nul(request)
    except RequestDataTooBig:
        if request.path_info.startswith(("/api/", "/open311/")):
            return None
        raise
    except (TooManyFieldsSent, MultiPartParserError):
        # Malformed: the door that reads it refuses it in its own shape.
        return None


def _body_fields_with_nul(request) -> list[str] | None:
    if request.content_type == "application/json":
        # Bounded by DATA_UPLOAD_MAX_MEMORY_SIZE: a larger body is refused by Django itself.
        if not any(mark in request.body for mark in JSON_NUL_MARKS):
            return None
        try:
            data = json.loads(request.body)
        except ValueError:
            return []
        if isinstance(data, dict):
            return [key for key, value in data.items() if "\x00" in key or _json_has_nul(value)]
        return []
    # The REST API takes JSON only and answers a form body 415 itself: parsing the
    # form here would leave DRF an exhausted stream and hide that answer.
    form_types = ("application/x-www-form-urlencoded", "multipart/form-data")
    if request.content_type in form_types and not request.path_info.startswith("/api/"):
        named = [key for key, values in request.POST.lists() if _has_nul(key, values)]
        return named or None
    return None


def _json_has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any("\x00" in key or _json_has_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_json_has_nul(item) for item in value)
    return False


def _has_nul(key: str, values: list[str]) -> bool:
    return "\x00" in key or any("\x00" in value for value in values)


def refusal(request, message: str, *, status: int = 400, fields: list[str] = (), code: str = "invalid") -> HttpResponse:
    """A refusal in the shape the caller reads: the API's error body, Open311's
    error list (XML for a `.xml` path), or a page in the portal's language."""
    path = request.path_info
    if path.startswith("/api/"):
        body = {"code": code, "detail": message}
        if fields:
            body["fields"] = {name[:100]: [message] for name in fields}
        return JsonResponse(body, status=status)
    if path.startswith("/open311/"):
        if ".xml" in path:
            return HttpResponse(_open311_xml(status, message), status=status, content_type="text/xml; charset=utf-8")
        body = json.dumps([{"code": status, "description": message}], ensure_ascii=False)
        return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")
    template = "429.html" if status == 429 else "400.html"
    # 413 and any other refusal read as the 400 page: a clear sentence, nothing saved.
    return render(request, template, {"message": message}, status=status)


def _open311_xml(status: int, message: str) -> str:
    from xml.sax.saxutils import escape

    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f"<errors><error><code>{status}</code><description>{escape(message)}</description></error></errors>"
    )
