"""Property-based fuzzing of every page form, query string and URL parameter.

The forms are not written out here: each page of the portal's page URLconfs is
fetched as the role that uses it, its HTML is parsed (html.parser) and every
<form> found there is fuzzed with Hypothesis — each field drawn from its real
values (select options, hidden values such as the CSRF token and versions),
any encodable unicode text (control characters included), huge integers, dates
at the calendar's edges, or nothing at all. A page or form added later is fuzzed
too. No answer may be a server error (not even a 503: nothing here is down), and
a POST that is refused — a redraw, a 4xx, or a desk action's redirect carrying
only an error message — must leave every row of complaints and dispatch as it was.

Path parameters get the same treatment: each route's `<…>` is filled with
generated text (percent-encoded) a bounded number of times.

The runs are bounded and derandomised, so CI sends the same requests every time
(tests/services/test_api_fuzz.py does the same for the REST API, and
tests/portal/test_hostile_corpus.py walks a fixed corpus over every URL)."""

import os
import re
import uuid
from datetime import datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import quote, urljoin, urlsplit

import pytest
from django.apps import apps
from django.contrib.messages import constants, get_messages
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone, translation
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from complaints.notices.links import rate_token, stop_token
from complaints.views.grants import COOKIE_NAME, signed_grants
from dispatch.services.assignments import assignment_accept, assignment_record_contact, assignment_resolve
from dispatch.services.extensions import extension_request
from dispatch.services.knowledge import ArticleInput, article_create
from dispatch.services.whistle import whistle_blow
from tests.conftest import built_once_for_a_module, make_submit

pytestmark = pytest.mark.django_db

# Bounded so the file runs in about two minutes on SQLite with -n 2. To explore
# further locally: WHISTLE_FUZZ_EXAMPLES=200 WHISTLE_FUZZ_RANDOM=1 pytest this file.
FORM_EXAMPLES = int(os.environ.get("WHISTLE_FUZZ_EXAMPLES", 12))
PATH_EXAMPLES = max(FORM_EXAMPLES * 2 // 3, 1)
FUZZ = settings(
    max_examples=FORM_EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("WHISTLE_FUZZ_RANDOM"),
    database=None,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)

# Everything but the API, Open311 and the admin, which have their own fuzzing
# (schemathesis) and walks: complaints.urls at /, dispatch.urls at /desk/,
# dispatch.urls.public at /open/, /accounts/ and /i18n/.
SKIPPED_PREFIXES = ("api/", "open311/", "admin/", "static/", "media/")
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
RESIDENT = "resident"
STAFF = ["donghuamen_handler", "dispatcher", "city_supervisor"]
# Forms in the page chrome (base.html) appear on every page: fuzzed once, from the
# home pages, not once per page.
CHROME_FORMS = {"logout", "set_language"}
HOME_ROUTES = {"", "desk/"}


def _routes(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def _page_routes() -> list[str]:
    routes = []
    for route in _routes(get_resolver().url_patterns):
        if route.startswith(SKIPPED_PREFIXES) or route.startswith("^") or "(?P" in route:
            continue
        routes.append(route)
    return sorted(set(routes))


PAGE_ROUTES = _page_routes()
# The summoned department's handler sees the whistle report form on the order page.
EXTRA_ROLES = {"desk/orders/<str:tracking_number>/": ["market_handler"]}
ROLE_ROUTES = [
    (role, route)
    for route in PAGE_ROUTES
    for role in (STAFF + EXTRA_ROLES.get(route, []) if route.startswith("desk/") else [RESIDENT])
]
PARAM_ROUTES = [route for route in PAGE_ROUTES if CONVERTER.search(route)]


# --- the world the pages show ------------------------------------------------


@pytest.fixture(scope="module")
def shared(django_db_setup, django_db_blocker) -> dict:
    """conftest's world and the world below, built once for the module
    (tests/conftest.py `built_once_for_a_module`): every fuzzed write is undone
    before the next test."""

    def extend(built):
        with translation.override("en"):
            submit = make_submit(built["beijing"], built["categories"])
            built["world"] = make_world(submit, built["people"], built["units"])

    yield from built_once_for_a_module(django_db_blocker, extend=extend)


# conftest's fixtures of the same names, so every test sees the shared world.


@pytest.fixture
def beijing(db, shared):
    return shared["beijing"]


@pytest.fixture
def categories(db, shared):
    return shared["categories"]


@pytest.fixture
def units(db, shared):
    return shared["units"]


@pytest.fixture
def people(db, shared):
    return shared["people"]


@pytest.fixture
def world(db, shared):
    return shared["world"]


def make_world(submit, people: dict, units: dict) -> dict:
    """An order fresh in 东华门街道's queue, one signed for, one being worked (in
    progress, the market regulator summoned by whistle, a pending request for more
    time), one resolved (the rating form), one in the 12345 centre's triage, one
    placed only as far as its district, and a knowledge article."""
    handler = people["donghuamen_handler"]
    fresh = submit()
    accepted = submit(description="工地早上五点开工")
    working = submit(description="夜里十一点后还在打桩")
    resolved = submit(description="工地夜间施工")
    triage = submit(category="other_misc", description="小区门口井盖缺失")
    district_only = submit(
        category="other_misc", region="dongcheng", place_to_confirm=True, description="东城区某处路灯不亮"
    )
    assignment_accept(user=handler, assignment_id=accepted.assignments.get().pk)
    for complaint in (working, resolved):
        assignment = complaint.assignments.get()
        assignment_accept(user=handler, assignment_id=assignment.pk)
        assignment_record_contact(user=handler, assignment_id=assignment.pk, note="电话联系了张先生")
    lead = working.assignments.get()
    whistle_blow(
        user=handler, assignment_id=lead.pk, unit_ids=[units["dc_market"].pk], message="请市场监管局到场", version=None
    )
    resolved_assignment = resolved.assignments.get()
    assignment_resolve(user=handler, assignment_id=resolved_assignment.pk, reply="已责令施工方夜间停工")
    extension = extension_request(
        user=handler,
        assignment_id=lead.pk,
        requested_due=timezone.now() + timedelta(days=20),
        reason="等待业主大会表决",
    )
    article = article_create(
        user=people["dispatcher"],
        data=ArticleInput(
            title="北京市供暖季时间",
            answer="本市法定供暖期为每年11月15日至次年3月15日。",
            category_ids=[],
            valid_from=datetime(2024, 1, 1).date(),
        ),
    )
    complaints = [fresh, accepted, working, resolved, triage, district_only]
    for complaint in complaints:
        complaint.refresh_from_db()
    return {
        "complaints": complaints,
        "resolved": resolved,
        "fresh": fresh,
        "extension": extension,
        "article": article,
        "units": {
            "donghuamen_handler": units["donghuamen"],
            "market_handler": units["dc_market"],
            "dispatcher": units["centre"],
            "city_supervisor": units["city"],
        },
    }


def _enter(client: Client, role: str, world: dict, people: dict) -> None:
    """Sign the client in as the role (again, if a fuzzed logout signed it out);
    a resident's browser holds the grants of every world complaint."""
    if role == RESIDENT:
        client.cookies[COOKIE_NAME] = signed_grants(numbers=[c.tracking_number for c in world["complaints"]])
    else:
        client.force_login(people[role])


def _fillings(route: str, role: str, world: dict) -> list[str]:
    """The route with its parameters set to the records the world holds."""
    names = [m.group(2) for m in CONVERTER.finditer(route)]
    per_name = {
        "tracking_number": [c.tracking_number for c in world["complaints"]],
        "unit_id": [str(world["units"].get(role, world["units"]["dispatcher"]).pk)],
        "extension_id": [str(world["extension"].pk)],
        "article_id": [str(world["article"].pk)],
        "code": ["110101001"],
        "key": [str(uuid.UUID(int=1))],
        "token": [rate_token(complaint=world["resolved"]), stop_token(complaint=world["fresh"])],
    }
    paths = [route]
    for name in names:
        values = per_name.get(name, ["1"])
        paths = [p.replace(m, v, 1) for p in paths for v in values for m in [_marker(p, name)] if m]
    return ["/" + p for p in paths]


def _marker(route: str, name: str) -> str:
    for match in CONVERTER.finditer(route):
        if match.group(2) == name:
            return match.group(0)
    return ""


# --- forms, from the HTML ------------------------------------------------------


class FormParser(HTMLParser):
    """Each <form>: action, method, and per field name its type and real values."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {
                "action": attrs.get("action") or "",
                "method": (attrs.get("method") or "get").lower(),
                "multipart": "multipart" in (attrs.get("enctype") or ""),
                "fields": {},
            }
            self.forms.append(self._form)
        elif self._form is None or not attrs.get("name"):
            return
        elif tag in ("input", "textarea", "button"):
            kind = attrs.get("type", "text").lower() if tag == "input" else tag
            if kind in ("submit", "reset", "image") and tag != "button":
                kind = "submit"
            field = self._field(attrs["name"], kind)
            if attrs.get("value") is not None:
                field["values"].append(attrs["value"])
        elif tag == "select":
            self._select = self._field(attrs["name"], "select")
            self._select["multiple"] = "multiple" in attrs
        elif tag == "option" and self._select is not None and attrs.get("value") is not None:
            self._select["values"].append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None

    def _field(self, name, kind):
        return self._form["fields"].setdefault(name, {"kind": kind, "values": [], "multiple": False})


def _forms(page_url: str, html: str) -> list[dict]:
    parser = FormParser()
    parser.feed(html)
    forms = []
    for form in parser.forms:
        action = urljoin(page_url, form["action"])
        parts = urlsplit(action)
        if parts.netloc and parts.netloc != "testserver":
            continue
        form["action"] = parts.path
        try:
            form["url_name"] = resolve(parts.path).url_name
        except Resolver404:
            form["url_name"] = None
        forms.append(form)
    return forms


# --- values ------------------------------------------------------------------

ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=60)
BIG_INTEGERS = st.integers(min_value=-(10**30), max_value=10**30).map(str)
DATES = st.one_of(
    st.sampled_from(["0001-01-01", "9999-12-31", "9999-12-31T23:59", "0001-01-01T00:00", "2026-02-30"]),
    st.dates().map(str),
    st.datetimes().map(lambda moment: moment.isoformat(timespec="minutes")),
)


def _value_strategy(field: dict):
    if field["kind"] == "file":
        return st.one_of(
            st.none(),
            st.binary(max_size=200).map(lambda data: SimpleUploadedFile("x.jpg", data, content_type="image/jpeg")),
        )
    choices = [st.sampled_from(field["values"])] if field["values"] else []
    one = st.one_of(*choices, ANY_TEXT, BIG_INTEGERS, DATES, st.just(""))
    # None leaves the field out, as an unticked box or a hand-made request would.
    return st.one_of(st.none(), one, st.lists(one, min_size=2, max_size=3))


def _data_strategy(form: dict):
    return st.fixed_dictionaries({name: _value_strategy(field) for name, field in form["fields"].items()}).map(
        lambda data: {name: value for name, value in data.items() if value is not None}
    )


def _snapshot() -> dict:
    """Every row of the complaints and dispatch apps: a refused POST changes none."""
    rows = {}
    for label in ("complaints", "dispatch"):
        for model in apps.get_app_config(label).get_models():
            rows[model._meta.label] = list(model.objects.order_by("pk").values_list())
    return rows


REFUSED = {200, 400, 403, 404, 405, 409, 413, 422, 429}


def _refused(response) -> bool:
    """A redraw or a 4xx; or, for the desk's post/redirect/get actions, a redirect
    that carries only an error message (dispatch.views.common.order_action)."""
    if response.status_code in REFUSED:
        return True
    if response.status_code not in (301, 302, 303):
        return False
    levels = {message.level for message in get_messages(response.wsgi_request)}
    return constants.ERROR in levels and constants.SUCCESS not in levels


def _fuzz_form(client: Client, form: dict, reenter, tally) -> None:
    method = client.post if form["method"] == "post" else client.get

    @FUZZ
    @given(data=_data_strategy(form))
    def fuzz(data):
        tally["fuzz_examples"] += 1
        cache.clear()  # the flood limits would otherwise answer 429 to every later example
        client.cookies.pop("messages", None)  # only this request's messages tell refused from done
        reenter()
        before = _snapshot() if form["method"] == "post" else None
        response = method(form["action"], data)
        assert response.status_code < 500, (form["action"], data, response.status_code)
        if before is not None and _refused(response):
            assert _snapshot() == before, (form["action"], data, response.status_code)

    fuzz()


def _page_forms(client: Client, role: str, route: str, world: dict) -> list[dict]:
    """The distinct forms on the route's pages as this role sees them."""
    seen, forms = set(), []
    for url in _fillings(route, role, world):
        # The desk's home sends each person on to their work: follow it there, so
        # that the chrome's forms are met once for staff too.
        response = client.get(quote(url, safe="/%"), follow=route in HOME_ROUTES)
        assert response.status_code < 500, (url, response.status_code)
        if "html" not in response.get("Content-Type", ""):
            continue
        if getattr(response, "redirect_chain", None):
            url = response.redirect_chain[-1][0]
        for form in _forms(url, response.content.decode()):
            if form["url_name"] in CHROME_FORMS and route not in HOME_ROUTES:
                continue
            key = (form["method"], form["url_name"] or form["action"], tuple(sorted(form["fields"])))
            if key not in seen:
                seen.add(key)
                forms.append(form)
    return forms


@pytest.mark.parametrize(("role", "route"), ROLE_ROUTES)
def test_no_generated_form_input_is_a_server_error_or_a_refused_write(client, world, people, role, route, tally):
    client.raise_request_exception = False
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    _enter(client, role, world, people)
    for form in _page_forms(client, role, route, world):
        _fuzz_form(client, form, lambda: _enter(client, role, world, people), tally)


def test_the_discovery_finds_the_forms_of_the_main_pages(client, world, people):
    """The fuzzing above is only as good as its discovery: the filing form, the
    rating form and an order's actions must be among what it finds."""
    _enter(client, RESIDENT, world, people)
    resident = {
        f["url_name"] for r in PAGE_ROUTES if not r.startswith("desk/") for f in _page_forms(client, RESIDENT, r, world)
    }
    assert {"file", "track", "rate", "set_language"} <= resident
    _enter(client, "donghuamen_handler", world, people)
    order = "desk/orders/<str:tracking_number>/"
    desk = {f["url_name"] for f in _page_forms(client, "donghuamen_handler", order, world)}
    assert {"accept", "contact", "note", "hand_down", "return_order", "resolve", "whistle"} <= desk
    assert {"logout", "set_language"} <= {
        f["url_name"] for f in _page_forms(client, "donghuamen_handler", "desk/", world)
    }
    _enter(client, "dispatcher", world, people)
    centre = {f["url_name"] for f in _page_forms(client, "dispatcher", order, world)}
    assert {"dispatch_to", "reject", "recategorise", "confirm_place", "merge", "extension_decide"} <= centre
    _enter(client, "market_handler", world, people)
    assert "whistle_report" in {f["url_name"] for f in _page_forms(client, "market_handler", order, world)}


# --- path parameters -----------------------------------------------------------

PATH_TEXT = st.one_of(ANY_TEXT.filter(bool), BIG_INTEGERS)


@pytest.mark.parametrize("route", PARAM_ROUTES)
def test_no_generated_path_parameter_is_a_server_error(client, world, people, route, tally):
    client.raise_request_exception = False
    role = "dispatcher" if route.startswith("desk/") else RESIDENT
    names = [m.group(0) for m in CONVERTER.finditer(route)]

    @settings(FUZZ, max_examples=PATH_EXAMPLES)
    @given(values=st.lists(PATH_TEXT, min_size=len(names), max_size=len(names)))
    def fuzz(values):
        tally["fuzz_examples"] += 1
        cache.clear()
        _enter(client, role, world, people)
        path = route
        for marker, value in zip(names, values, strict=True):
            path = path.replace(marker, quote(value, safe=""), 1)
        for method in (client.get, client.post):
            response = method("/" + path)
            assert response.status_code < 500, (path, response.status_code)

    fuzz()


# --- what the fuzzing found, pinned -------------------------------------------


@pytest.mark.parametrize("back", ["0", "-3209216303", "dispatch:order", "javascript:alert(1)", "//evil.example/"])
def test_a_decision_whose_next_is_not_a_path_here_goes_back_to_the_list(client, world, people, back):
    """`next` went to `redirect()`, which takes a bare word for a URL name to
    reverse: a hand-made "0" was a 500 (found by the form fuzzing above)."""
    client.force_login(people["dispatcher"])
    extension = world["extension"]

    response = client.post(
        reverse("dispatch:extension_decide", args=[extension.pk]), {"decision": "refuse", "note": "", "next": back}
    )

    assert (response.status_code, response["Location"]) == (302, reverse("dispatch:extensions"))
    extension.refresh_from_db()
    assert extension.status == "refused"


def test_a_decision_goes_back_to_the_page_it_was_made_on(client, world, people):
    client.force_login(people["dispatcher"])
    order = reverse("dispatch:order", args=[world["complaints"][2].tracking_number])

    response = client.post(
        reverse("dispatch:extension_decide", args=[world["extension"].pk]), {"decision": "approve", "next": order}
    )

    assert (response.status_code, response["Location"]) == (302, order)
