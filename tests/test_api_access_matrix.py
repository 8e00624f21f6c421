"""Who may use each REST endpoint: every operation of the OpenAPI document × every
role, from one table. A row names its situation (tests/access_situations.py) and a
small rule: who may (2xx), who sees the order but whose role may not act (403);
every other signed-in role gets 404 (an order's existence is private) and the
anonymous 401, except on the resident's endpoints, which are open to all.

Each cell runs on a fresh database with a knox token. A refused cell changes
nothing; no answer to a role that may not read the resident's personal data
carries it (supervisors get it masked, other units nothing). A row missing for an
operation of the schema fails the build."""

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import time_machine
from django.core.cache import cache
from drf_spectacular.generators import SchemaGenerator
from knox.models import AuthToken
from rest_framework.test import APIClient

from complaints.models import Complaint, ComplaintEvent, Rating
from dispatch.models import Assignment, Extension, KnowledgeArticle, Notification, Role, TriageItem
from tests import access_situations as s
from tests.conftest import built_once_for_a_module
from tests.factories import MembershipFactory, UserFactory

# Role → the user in the `people` fixture (None: not signed in). 东华门 has a
# supervisor of its own here; conftest's people stop at the district.
ROLES = {
    "anonymous": None,
    "resident": "nobody",  # signed in, no membership
    "street_handler": "donghuamen_handler",  # the accountable street office
    "other_street_handler": "jingshan_handler",
    "community_handler": "duofuxiang_handler",  # a community of the street; the order was not handed to it
    "department_handler": "market_handler",  # 东城区市场监督管理局: summoned in some situations
    "dispatcher": "dispatcher",  # the 12345 centre
    "operator": "operator",  # a hotline operator (话务员) of the 12345 centre: files calls, sees no orders
    "street_supervisor": "donghuamen_supervisor",
    "district_supervisor": "dongcheng_supervisor",
    "other_district_supervisor": "chaoyang_supervisor",
    "city_supervisor": "city_supervisor",
}
EVERYONE = tuple(ROLES)
SIGNED_IN = tuple(role for role in ROLES if role != "anonymous")
STAFF = tuple(role for role in SIGNED_IN if role != "resident")
STREET = ("street_handler",)
SUMMONED = ("department_handler",)
CENTRE = ("dispatcher",)
OPERATOR = ("operator",)
SUPERVISORS = ("street_supervisor", "district_supervisor", "city_supervisor")  # of the units holding the order
READERS = CENTRE + SUPERVISORS  # see any order of theirs, act on none of a unit's
# Whose answers may carry the resident's personal data: those handling the order.
HANDLING = STREET + CENTRE
HANDLING_WITH_SUMMONED = HANDLING + SUMMONED


@dataclass(frozen=True)
class Row:
    situation: Callable[[s.World], s.Situation]
    may: tuple[str, ...]  # get `ok`
    sees: tuple[str, ...] = ()  # see it, but their role may not do it: 403
    hidden: int = 404  # what every other signed-in role gets
    open: bool = False  # a resident's endpoint: no sign-in, the same answer for all
    ok: int = 200
    changes: tuple[str, ...] = ()  # whose success must change the state (everyone else's changes nothing)
    personal: tuple[str, ...] = ()  # whose answers may carry the resident's personal data

    def expected(self, role: str) -> int:
        if self.open:
            return self.ok
        if role == "anonymous":
            return 401
        if role in self.may:
            return self.ok
        if role in self.sees:
            return 403
        return self.hidden


def read(situation, *, may, **rule) -> Row:
    return Row(situation, may=may, **rule)


def act(situation, *, may, **rule) -> Row:
    """A write: each success changes the state, unless the row says whose do."""
    return Row(situation, may=may, changes=rule.pop("changes", may), **rule)


def open_to_all(situation, *, writes=False, ok=200) -> Row:
    """A resident's or a reference endpoint: no sign-in, and a token is ignored."""
    return Row(situation, may=EVERYONE, open=True, ok=ok, changes=EVERYONE if writes else ())


ORDER = "/api/v1/orders/{tracking_number}/"

TABLE = {
    # The resident's and the reference endpoints.
    ("POST", "/api/v1/complaints/"): open_to_all(s.to_file, writes=True, ok=201),
    ("POST", "/api/v1/complaints/track/"): open_to_all(s.to_track),
    ("POST", "/api/v1/complaints/rate/"): open_to_all(s.to_rate, writes=True, ok=201),
    ("POST", "/api/v1/complaints/track/photos/"): open_to_all(s.to_list_photos_as_resident),
    ("GET", "/api/v1/complaints/photos/{link}/"): open_to_all(s.to_fetch_photo_by_link),
    ("GET", "/api/v1/complaints/photos/{link}/thumb/"): open_to_all(s.to_fetch_photo_by_link),
    ("GET", "/api/v1/places/"): open_to_all(s.to_list_places),
    ("GET", "/api/v1/places/{code}/"): open_to_all(s.to_read_place),
    ("GET", "/api/v1/categories/"): open_to_all(s.any_order),
    ("GET", "/api/v1/categories/{category_id}/"): open_to_all(s.to_read_category),
    # A handler's units and queue.
    ("GET", "/api/v1/units/mine/"): read(s.any_order, may=SIGNED_IN),
    ("GET", "/api/v1/units/{unit_id}/queue/"): read(s.to_read_queue, may=STREET),
    # The order, and the lead unit's actions on it.
    ("GET", ORDER): read(s.to_read_order, may=STREET + SUMMONED + READERS, personal=HANDLING_WITH_SUMMONED),
    # Its photos: whoever reads the order; no personal data in them.
    ("GET", ORDER + "photos/"): read(s.to_list_photos, may=STREET + SUMMONED + READERS),
    ("GET", ORDER + "photos/{key}/"): read(s.to_fetch_photo, may=STREET + SUMMONED + READERS),
    ("GET", ORDER + "photos/{key}/thumb/"): read(s.to_fetch_photo, may=STREET + SUMMONED + READERS),
    ("POST", ORDER + "accept/"): act(s.to_accept, may=STREET, sees=READERS, personal=HANDLING),
    ("POST", ORDER + "contact/"): act(s.to_contact, may=STREET, sees=READERS, personal=HANDLING),
    ("POST", ORDER + "notes/"): act(s.to_note, may=STREET, sees=READERS + SUMMONED, personal=HANDLING_WITH_SUMMONED),
    ("POST", ORDER + "resolve/"): act(
        s.to_resolve, may=STREET, sees=READERS + SUMMONED, personal=HANDLING_WITH_SUMMONED
    ),
    ("POST", ORDER + "hand-down/"): act(s.to_hand_down, may=STREET, sees=READERS, personal=HANDLING),
    ("POST", ORDER + "recall/"): act(s.to_recall, may=STREET, sees=READERS, personal=HANDLING),
    ("POST", ORDER + "return/"): act(s.to_return, may=STREET, sees=READERS, personal=HANDLING),
    ("POST", ORDER + "whistle/"): act(s.to_whistle, may=STREET, sees=READERS, personal=HANDLING),
    ("POST", ORDER + "more-time/"): act(s.to_ask_more_time, may=STREET, sees=READERS, personal=HANDLING),
    # The reply templates its contact, resolve and return take: for the unit that may use them.
    ("GET", ORDER + "templates/"): read(s.to_list_templates, may=STREET, sees=READERS + SUMMONED),
    # Only the summoned unit reports; the lead and the readers see the order.
    ("POST", ORDER + "whistle/report/"): act(
        s.to_report, may=SUMMONED, sees=STREET + READERS, personal=HANDLING_WITH_SUMMONED
    ),
    # The 12345 centre's actions. An order nobody holds yet (triage, a place to
    # confirm) only the centre sees; one a unit has held, that unit and its supervisors.
    ("POST", ORDER + "dispatch/"): act(s.to_dispatch, may=CENTRE, personal=CENTRE),
    ("POST", ORDER + "category/"): act(s.to_recategorise, may=CENTRE, personal=CENTRE),
    ("POST", ORDER + "place/"): act(s.to_confirm_place, may=CENTRE, personal=CENTRE),
    ("POST", ORDER + "reroute/"): act(s.to_reroute, may=CENTRE, sees=STREET + SUPERVISORS, personal=HANDLING),
    ("POST", ORDER + "reject/"): act(s.to_reject, may=CENTRE, sees=STREET + SUPERVISORS, personal=HANDLING),
    ("POST", ORDER + "priority/"): act(s.to_set_priority, may=CENTRE, sees=STREET + SUPERVISORS, personal=HANDLING),
    ("POST", ORDER + "merge/"): act(s.to_merge, may=CENTRE, sees=STREET + SUPERVISORS, personal=HANDLING),
    ("POST", ORDER + "unmerge/"): act(s.to_unmerge, may=CENTRE, sees=STREET + SUPERVISORS, personal=HANDLING),
    ("GET", "/api/v1/triage/"): read(s.to_list_triage, may=CENTRE, personal=CENTRE),
    # Requests for more time: the centre decides any, a supervisor their subtree's.
    # Every supervisor has a list (朝阳's is empty). The asking unit sees its request
    # but never decides it; to anyone else the request does not exist.
    ("GET", "/api/v1/extensions/"): read(s.to_list_extensions, may=READERS + ("other_district_supervisor",)),
    ("POST", "/api/v1/extensions/{extension_id}/decide/"): act(s.to_decide_extension, may=READERS, sees=STREET),
    # Reports narrowed to 东华门: 朝阳's supervisor has reports, but not that unit's.
    **{
        ("GET", f"/api/v1/reports/{report}/"): read(
            s.to_report_on_donghuamen, may=READERS, sees=("other_district_supervisor",)
        )
        for report in ("overdue", "rankings", "trends", "hotspots")
    },
    # Everyone's own notifications: only 东华门's handler has one.
    ("GET", "/api/v1/notifications/"): read(s.to_list_notifications, may=SIGNED_IN),
    ("GET", "/api/v1/notifications/unread-count/"): read(s.to_list_notifications, may=SIGNED_IN),
    ("POST", "/api/v1/notifications/read-all/"): act(s.to_list_notifications, may=SIGNED_IN, changes=STREET),
    ("POST", "/api/v1/notifications/{notification_id}/read/"): act(s.to_read_notification, may=STREET),
    # The unit directory, for any member of staff.
    ("GET", "/api/v1/units/"): read(s.any_order, may=STAFF),
    # The knowledge base: the 12345 centre's alone; its operators read it, its dispatchers write it.
    ("GET", "/api/v1/knowledge/"): read(s.to_search_knowledge, may=CENTRE + OPERATOR),
    ("GET", "/api/v1/knowledge/{article_id}/"): read(s.to_read_knowledge, may=CENTRE + OPERATOR),
    ("POST", "/api/v1/knowledge/new/"): act(s.to_write_knowledge, may=CENTRE, ok=201),
    ("POST", "/api/v1/knowledge/{article_id}/edit/"): act(s.to_edit_knowledge, may=CENTRE),
    # Callbacks (回访): the whole 12345 centre's; the queue shows the number to call.
    ("GET", "/api/v1/callbacks/"): read(s.to_list_callbacks, may=CENTRE + OPERATOR, personal=CENTRE + OPERATOR),
    ("POST", "/api/v1/callbacks/{tracking_number}/rate/"): act(s.to_rate_on_callback, may=CENTRE + OPERATOR, ok=201),
    ("POST", "/api/v1/callbacks/{tracking_number}/no-answer/"): act(s.to_record_no_answer, may=CENTRE + OPERATOR),
    # The hotline desk: the whole 12345 centre's; the history is of the number the caller gave.
    ("GET", "/api/v1/hotline/history/"): read(
        s.to_read_caller_history, may=CENTRE + OPERATOR, personal=CENTRE + OPERATOR
    ),
    ("POST", "/api/v1/hotline/demands/"): act(s.to_file_for_a_caller, may=CENTRE + OPERATOR, ok=201),
    ("POST", "/api/v1/hotline/direct-answers/"): act(s.to_answer_directly, may=CENTRE + OPERATOR, ok=201),
}

HTTP_METHODS = {"get", "put", "post", "patch", "delete"}


def schema_operations() -> set[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        (method.upper(), path) for path, item in schema["paths"].items() for method in item if method in HTTP_METHODS
    }


def test_every_operation_of_the_schema_has_a_row_and_every_row_an_operation():
    operations = schema_operations()
    missing = sorted(operations - TABLE.keys())
    assert not missing, f"operations with no row in the access matrix: {missing}"
    stale = sorted(TABLE.keys() - operations)
    assert not stale, f"rows for operations the schema does not have: {stale}"


# --- One cell ------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _monday():
    with time_machine.travel(s.MONDAY, tick=False):
        yield


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # where the photo situations' files go


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def shared(django_db_setup, django_db_blocker) -> dict:
    """conftest's world, and a street supervisor and an operator, built once for all
    the module's cells (tests/conftest.py `built_once_for_a_module`)."""

    def extend(built):
        supervisor = UserFactory(username="donghuamen_supervisor")
        MembershipFactory(user=supervisor, unit=built["units"]["donghuamen"], role=Role.SUPERVISOR)
        built["people"]["donghuamen_supervisor"] = supervisor
        operator = UserFactory(username="operator")
        MembershipFactory(user=operator, unit=built["units"]["centre"], role=Role.OPERATOR)
        built["people"]["operator"] = operator

    yield from built_once_for_a_module(django_db_blocker, extend=extend)


# conftest's fixtures of the same names, so its `submit` files into the shared world.


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
def rules(db, shared):
    return shared["rules"]


@pytest.fixture
def people(db, shared):
    return shared["people"]


@pytest.fixture
def world(people, units, categories, submit):
    return s.World(people=people, units=units, categories=categories, submit=submit)


def client_as(world: s.World, role: str) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if ROLES[role] is not None:
        _token, key = AuthToken.objects.create(user=world.people[ROLES[role]])
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def request(client: APIClient, method: str, path: str, situation: s.Situation):
    url = path.format(**situation.params)
    if method == "GET":
        return client.get(url, situation.query)
    return client.generic(method, url, json.dumps(situation.body), content_type="application/json")


def state() -> tuple:
    """Everything any endpoint could change."""
    return (
        list(
            Complaint.objects.order_by("pk").values_list(
                "pk", "status", "version", "category_id", "priority", "region_id", "merged_into_id", "place_to_confirm"
            )
        ),
        list(
            Assignment.objects.order_by("pk").values_list(
                "pk", "status", "version", "unit_id", "holder_id", "resolve_due", "reported_at"
            )
        ),
        ComplaintEvent.objects.count(),
        list(Extension.objects.order_by("pk").values_list("pk", "status", "decided_at")),
        list(TriageItem.objects.order_by("pk").values_list("pk", "closed_at")),
        list(Notification.objects.order_by("pk").values_list("pk", "read_at")),
        Rating.objects.count(),
        list(KnowledgeArticle.objects.order_by("pk").values_list("pk", "version", "title")),
    )


def text_of(response) -> str:
    """The body as a reader sees it, whatever the JSON escaping."""
    if getattr(response, "streaming", False):  # a photo's bytes
        return b"".join(response.streaming_content).decode(errors="replace")
    try:
        return json.dumps(response.json(), ensure_ascii=False)
    except (TypeError, ValueError):
        return response.content.decode(errors="replace")


CELLS = [
    pytest.param(method, path, role, id=f"{method} {path.removeprefix('/api/v1')} as {role}")
    for (method, path) in TABLE
    for role in ROLES
]


@pytest.mark.parametrize(("method", "path", "role"), CELLS)
def test_access(world, method, path, role):
    row = TABLE[method, path]
    situation = row.situation(world)
    client = client_as(world, role)
    before = state()

    response = request(client, method, path, situation)

    assert response.status_code == row.expected(role), text_of(response)[:500]
    if response.status_code < 300 and role in row.changes:
        assert state() != before, "a success that changed nothing"
    else:
        assert state() == before, "changed something it should not have"
    if role not in row.personal:
        leaked = [value for value in s.PERSONAL_DATA if value in text_of(response)]
        assert not leaked, f"the resident's personal data in the answer: {leaked}"


def test_those_handling_the_order_do_read_the_personal_data_the_matrix_looks_for(world):
    """Else the matrix's checks for leaks would pass for the wrong reason."""
    situation = s.to_read_order(world)
    for role in HANDLING_WITH_SUMMONED:
        body = text_of(request(client_as(world, role), "GET", ORDER, situation))
        assert all(value in body for value in s.PERSONAL_DATA), role
    masked = request(client_as(world, "district_supervisor"), "GET", ORDER, situation).json()["resident"]
    assert masked["masked"] is True and masked["phone"] == "138****8000"
