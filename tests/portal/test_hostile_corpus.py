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


def _paths(*, real: str) -> dict[str, bool]:
    """Every path to walk, and whether it gets the whole corpus of query strings
    and bodies (True) or only a GET and a POST (False). A route with parameters is
    walked in full once with them set to a real record (`real`, a tracking number;
    1 for an id), so the hostile queries and bodies reach its view, and once per
    hostile parameter value with a GET and a POST."""
    paths = {}
    for route in _routes(get_resolver().url_patterns):
        if route.startswith(SKIPPED_PREFIXES) or route.startswith("^") or "(?P" in route:
            continue
        if not CONVERTER.search(route):
            paths["/" + route] = True
            continue
        for value in [real, *PATH_VALUES, *HOSTILE_INT]:

            def fill(match, value=value):
                converter = match.group(1) or "str"
                if converter == "int":
                    return value if value.isdigit() else "1"
                if converter == "uuid":
                    return "00000000-0000-0000-0000-000000000000"
                return value

            path = "/" + CONVERTER.sub(fill, route)
            paths[path] = paths.get(path, False) or value == real
    for template in REGEX_PATHS:
        for value in [real, *PATH_VALUES]:
            path = "/" + template.format(s=value)
            paths[path] = paths.get(path, False) or value == real
    return dict(sorted(paths.items()))


def _quoted(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/%")


def _walk(client, paths: dict[str, bool], tally) -> list[tuple[str, str, int]]:
    server_errors = []
    client.raise_request_exception = False
    for path, whole_corpus in paths.items():
        url = _quoted(path)
        answers = [("GET", client.get(url)), ("GET invalid UTF-8", client.get(url + "?q=%FF%FE&page=%C0%AF"))]
        answers.append(("POST " + FORM_VALUES[0][:20], client.post(url, dict.fromkeys(FORM_NAMES, FORM_VALUES[0]))))
        if whole_corpus:
            for value in QUERY_VALUES:
                answers.append(("GET ?" + value[:20], client.get(url, dict.fromkeys(QUERY_NAMES, value))))
            for value in FORM_VALUES[1:]:
                answers.append(("POST " + value[:20], client.post(url, dict.fromkeys(FORM_NAMES, value))))
            answers.append(("POST json", client.post(url, '{"a": [1, {"b": null}]', content_type="application/json")))
            answers.append(("POST junk", client.post(url, b"\xff\xfe\x00garbage", content_type="application/json")))
        tally["hostile_requests"] += len(answers)
        for method, response in answers:
            if response.status_code >= 500 and response.status_code != 503:
                server_errors.append((method, path[:120], response.status_code))
    tally["hostile_server_errors"] += len(server_errors)
    return server_errors


@pytest.fixture
def world(submit, people, units, categories, beijing):
    """Some data for the walk to meet: an order in the street's queue."""
    return submit()


STAFF_PREFIXES = ("/desk/", "/api/", "/accounts/")


def test_no_hostile_request_to_any_url_is_a_server_error_for_an_anonymous_caller(client, world, tally):
    paths = _paths(real=world.tracking_number)
    assert len(paths) > 100  # the walk really covers the portal
    assert _walk(client, paths, tally) == []


@pytest.fixture
def operator(units):
    from dispatch.models import Role
    from tests.factories import MembershipFactory, UserFactory

    user = UserFactory(username="hotline_operator")
    MembershipFactory(user=user, unit=units["centre"], role=Role.OPERATOR)
    return user


@pytest.mark.parametrize("who", ["donghuamen_handler", "dispatcher", "city_supervisor", "operator"])
def test_no_hostile_request_to_a_staff_url_is_a_server_error_for_staff(client, world, people, operator, who, tally):
    client.force_login(operator if who == "operator" else people[who])
    paths = {
        path: whole for path, whole in _paths(real=world.tracking_number).items() if path.startswith(STAFF_PREFIXES)
    }
    assert len(paths) > 50
    assert _walk(client, paths, tally) == []


# The admin's own parameters, each given hostile values on every changelist.
ADMIN_QUERY_NAMES = [
    "q",
    "o",
    "p",
    "e",
    "_to_field",
    "_popup",
    "_changelist_filters",
    "all",
    "status__exact",
    "pk__gte",
]


ADMIN_OBJECT_IDS = ["<script>", "' OR 1=1--", "9" * 40, "../../etc/passwd", "2147483648", "9223372036854775808"]


def _admin_paths() -> tuple[list[str], list[str]]:
    """Each registered model's changelist (walked with hostile queries and
    actions) and its add, change, history and delete screens (hostile ids)."""
    from django.contrib import admin

    lists, screens = [], []
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        lists.append(base)
        screens.append(base + "add/")
        for value in ADMIN_OBJECT_IDS:
            screens += [f"{base}{value}/change/", f"{base}{value}/history/", f"{base}{value}/delete/"]
    return lists, screens


def _admin_walk(client, lists, screens, tally) -> list[tuple[str, str, int]]:
    client.raise_request_exception = False
    answers = []
    for path in lists:
        url = _quoted(path)
        answers += [(path, "GET", client.get(url)), (path, "GET invalid UTF-8", client.get(url + "?q=%FF&o=%C0%AF"))]
        for value in QUERY_VALUES:
            answers.append((path, "GET ?" + value[:20], client.get(url, dict.fromkeys(ADMIN_QUERY_NAMES, value))))
        for value in FORM_VALUES:
            body = {"action": value, "_selected_action": [value, "1"], "index": value, "select_across": value}
            answers.append((path, "POST action " + value[:20], client.post(url, body)))
    answers += [(path, "GET", client.get(_quoted(path))) for path in screens]
    server_errors = [(method, path[:120], r.status_code) for path, method, r in answers if r.status_code >= 500]
    tally["hostile_requests"] += len(answers)
    tally["hostile_server_errors"] += len(server_errors)
    return [error for error in server_errors if error[2] != 503]


def test_no_hostile_request_to_an_admin_screen_is_a_server_error_for_a_superuser(client, world, tally):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    lists, screens = _admin_paths()
    assert len(lists) > 20  # every registered model
    assert _admin_walk(client, lists, screens, tally) == []
