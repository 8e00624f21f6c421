"""The hostile corpus walked over every URL the portal has, as an anonymous caller
and as each kind of staff: hostile path parameters, query strings and form bodies.
Every answer is a clear refusal or an inert page; none is a 500.

The URLs come from the resolver itself, so a page added later is walked too. Each
`<int:…>` and `<str:…>` in a route gets every hostile value of its kind."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

HOSTILE_TEXT = [
    "<script>alert(1)</script>",
    "' OR '1'='1' --",
    "Robert'); DROP TABLE complaints_complaint;--",
    "%00",
    "\u0000",
    "９９９",  # full-width digits
    "1e309",
    "-1",
    "0",
    "9" * 40,
    "../../etc/passwd",
    '=HYPERLINK("http://x")',
    "a" * 5000,
    "null",
    "[]",
    "{}",
    "2026-13-45",
    "9999-12-31",
    "0001-01-01",
    " ",
]
# Each query string and form body sets every name at once to one of these.
QUERY_VALUES = ["<script>alert(1)</script>", "' OR '1'='1' --", "9" * 40, "-1", "9999-12-31", "a" * 5000, " "]
FORM_VALUES = ["<script>alert(1)</script>", "' OR '1'='1' --", "9" * 40, "2026-13-45"]
PATH_VALUES = ["<script>", "' OR 1=1--", "9" * 40, "-1", "../../etc/passwd", "=1+1", "９９９"]
HOSTILE_INT = ["0", "9" * 25, "2147483648", "9223372036854775808"]
QUERY_NAMES = [
    "q",
    "page",
    "cursor",
    "sort",
    "ordering",
    "status",
    "month",
    "from",
    "to",
    "by",
    "unit",
    "category",
    "district",
    "street",
    "format",
    "tracking_number",
    "next",
    "kind",
    "overdue",
    "priority",
    "due_before",
    "due_after",
    "lat",
    "lng",
    "lon",
    "zoom",
    "bbox",
    "caller",
    "language",
    "service_code",
    "start_date",
    "end_date",
    "service_request_id",
    "jurisdiction_id",
    "api_key",
    "phone_last4",
    "key",
]
FORM_NAMES = QUERY_NAMES + [
    "description",
    "address",
    "resident_name",
    "resident_phone",
    "resident_email",
    "submission_token",
    "community",
    "latitude",
    "longitude",
    "message",
    "note",
    "reason",
    "units",
    "version",
    "solved",
    "satisfaction",
    "comment",
    "requested_due",
    "decision",
    "target",
    "title",
    "answer",
    "valid_from",
    "valid_until",
    "username",
    "password",
    "refresh_places",
    "email",
    "first_name",
    "last_name",
    "phone",
    "description_public",
    "publish",
    "public_line",
    "hide_name",
    "answers",
    "photos",
]
SKIPPED_PREFIXES = ("admin/", "static/", "media/")
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
REGEX_PATHS = [  # Open311's regex routes, written out
    "open311/v2/discovery.json",
    "open311/v2/services.xml",
    "open311/v2/services/{s}.json",
    "open311/v2/requests.json",
    "open311/v2/requests/{s}.xml",
    "open311/v2/tokens/{s}.json",
    "open311/v2/{s}",
]


def _routes(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def _paths() -> list[str]:
    paths = set()
    for route in _routes(get_resolver().url_patterns):
        if route.startswith(SKIPPED_PREFIXES) or route.startswith("^") or "(?P" in route:
            continue
        if not CONVERTER.search(route):
            paths.add("/" + route)
            continue
        for value in PATH_VALUES + HOSTILE_INT:

            def fill(match, value=value):
                converter = match.group(1) or "str"
                if converter == "int":
                    return value if value.isdigit() else "1"
                if converter == "uuid":
                    return "00000000-0000-0000-0000-000000000000"
                return value

            paths.add("/" + CONVERTER.sub(fill, route))
    for template in REGEX_PATHS:
        for value in PATH_VALUES:
            paths.add("/" + template.format(s=value))
    return sorted(paths)


def _quoted(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/%")


def _walk(client, paths) -> list[tuple[str, str, int]]:
    server_errors = []
    client.raise_request_exception = False
    for path in paths:
        url = _quoted(path)
        answers = [("GET", client.get(url)), ("GET invalid UTF-8", client.get(url + "?q=%FF%FE&page=%C0%AF"))]
        for value in QUERY_VALUES:
            answers.append(("GET ?" + value[:20], client.get(url, {name: value for name in QUERY_NAMES})))
        for value in FORM_VALUES:
            answers.append(("POST " + value[:20], client.post(url, {name: value for name in FORM_NAMES})))
        answers.append(("POST json", client.post(url, '{"a": [1, {"b": null}]', content_type="application/json")))
        answers.append(("POST junk", client.post(url, b"\xff\xfe\x00garbage", content_type="application/json")))
        for method, response in answers:
            if response.status_code >= 500 and response.status_code != 503:
                server_errors.append((method, path[:120], response.status_code))
    return server_errors


@pytest.fixture
def world(submit, people, units, categories, beijing):
    """Some data for the walk to meet: an order in the street's queue."""
    return submit()


STAFF_PREFIXES = ("/desk/", "/api/", "/accounts/")


def test_no_hostile_request_to_any_url_is_a_server_error_for_an_anonymous_caller(client, world):
    paths = _paths()
    assert len(paths) > 100  # the walk really covers the portal
    assert _walk(client, paths) == []


@pytest.mark.parametrize("who", ["donghuamen_handler", "dispatcher", "city_supervisor"])
def test_no_hostile_request_to_a_staff_url_is_a_server_error_for_staff(client, world, people, who):
    client.force_login(people[who])
    paths = [path for path in _paths() if path.startswith(STAFF_PREFIXES)]
    assert len(paths) > 50
    assert _walk(client, paths) == []
