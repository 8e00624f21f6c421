"""Who sees an order's staff page, with or without the resident's personal data,
and who may sign for it: one row per kind of person. Then every desk page against
every kind of person, the 12345 centre's hotline operator (话务员) among them."""

import pytest
from django.urls import reverse

from dispatch.models import Role
from dispatch.services.assignments import assignment_hand_down
from tests import access_situations as s
from tests.factories import MembershipFactory, UserFactory

FULL_PHONE = "13800138000"
MASKED_PHONE = "138****8000"
NOT_YOURS = "Only the unit handling this order can do that."


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


MATRIX = [
    # (who, hand down to 多福巷 first?, GET outcome, POST accept outcome)
    ("donghuamen_handler", False, "full", "acts"),
    ("donghuamen_handler", True, "full", "acts"),
    ("jingshan_handler", False, 404, 404),
    ("duofuxiang_handler", False, 404, 404),
    ("duofuxiang_handler", True, "full", "acts"),
    ("market_handler", False, 404, 404),
    ("dispatcher", False, "full", "refused"),
    ("dongcheng_supervisor", False, "masked", "refused"),
    ("chaoyang_supervisor", False, 404, 404),
    ("city_supervisor", False, "masked", "refused"),
    ("operator", False, 404, 404),  # the hotline files orders; it does not see them
    ("nobody", False, 404, 404),
    ("anonymous", False, "login", "login"),
]


@pytest.fixture
def people(people, units):
    """conftest's people and a hotline operator: a member of the 12345 centre with the operator role."""
    operator = UserFactory(username="operator")
    MembershipFactory(user=operator, unit=units["centre"], role=Role.OPERATOR)
    return {**people, "operator": operator}


@pytest.mark.parametrize(
    ("who", "handed_down", "page", "accept"),
    MATRIX,
    ids=[f"{who}{'-after-hand-down' if down else ''}" for who, down, _, _ in MATRIX],
)
def test_order_access(client, submit, people, units, who, handed_down, page, accept):
    complaint = submit()
    assignment = complaint.assignments.get()
    if handed_down:
        assignment = assignment_hand_down(
            user=people["donghuamen_handler"], assignment_id=assignment.pk, community_id=units["duofuxiang"].pk
        )
    if who != "anonymous":
        client.force_login(people[who])
    order_url = reverse("dispatch:order", args=[complaint.tracking_number])
    accept_url = reverse("dispatch:accept", args=[complaint.tracking_number])

    response = client.get(order_url)
    if page == "login":
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    elif page == 404:
        assert response.status_code == 404
    else:
        html = response.content.decode()
        assert response.status_code == 200
        assert complaint.tracking_number in html
        if page == "full":
            assert FULL_PHONE in html and "张三" in html
        else:
            assert FULL_PHONE not in html and "张三" not in html
            assert MASKED_PHONE in html and "张*" in html

    version_before = assignment.version
    response = client.post(accept_url, {"version": version_before})
    assignment.refresh_from_db()
    if accept == "acts":
        assert response.status_code == 302
        assert assignment.status == "accepted"
        return
    assert (assignment.status, assignment.version) == ("assigned", version_before)
    if accept == "login":
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    elif accept == 404:
        assert response.status_code == 404
    else:
        assert response.status_code == 302 and response.url == order_url
        assert NOT_YOURS in client.get(order_url).content.decode()


# --- Every desk page × every kind of person ---------------------------------------------

# What a GET gives: 200, 404, "login" (the sign-in page), or the page it redirects to.
OK, HIDDEN, LOGIN = 200, 404, "login"
WHO = ("operator", "dispatcher", "donghuamen_handler", "dongcheng_supervisor", "nobody", "anonymous")


def _desk(**by_role):
    """A row: `default` for every signed-in role not named; the anonymous get the sign-in page."""
    default = by_role.pop("default", HIDDEN)
    return {who: by_role.get(who, LOGIN if who == "anonymous" else default) for who in WHO}


CENTRE_AND_SUPERVISORS = {"dispatcher": OK, "dongcheng_supervisor": OK}

DESK = {
    # Where each person's work is.
    "home": _desk(
        operator="dispatch:hotline",
        dispatcher="dispatch:triage",
        donghuamen_handler="queue",
        dongcheng_supervisor="dispatch:overdue",
        nobody=OK,  # "you have no role yet"
    ),
    # The units' work: the hotline operator has none of it.
    "queue": _desk(donghuamen_handler=OK),
    "order": _desk(dispatcher=OK, donghuamen_handler=OK, dongcheng_supervisor=OK),
    "triage": _desk(dispatcher=OK),
    "overdue": _desk(**CENTRE_AND_SUPERVISORS),
    "overdue_csv": _desk(**CENTRE_AND_SUPERVISORS),
    "overdue_xlsx": _desk(**CENTRE_AND_SUPERVISORS),
    "report_index": _desk(**CENTRE_AND_SUPERVISORS),
    "report_rankings": _desk(**CENTRE_AND_SUPERVISORS),
    "report_trends": _desk(**CENTRE_AND_SUPERVISORS),
    "report_hotspots": _desk(**CENTRE_AND_SUPERVISORS),
    "report_map": _desk(**CENTRE_AND_SUPERVISORS),
    "extensions": _desk(**CENTRE_AND_SUPERVISORS),
    # The knowledge base: the whole centre reads it, its dispatchers write it.
    "knowledge": _desk(operator=OK, dispatcher=OK),
    "knowledge_detail": _desk(operator=OK, dispatcher=OK),
    "knowledge_new": _desk(dispatcher=OK),
    "knowledge_edit": _desk(dispatcher=OK),
    # The centre's telephone work: the hotline desk and the callbacks (回访).
    "hotline": _desk(operator=OK, dispatcher=OK),
    "callbacks": _desk(operator=OK, dispatcher=OK),
    # Everyone's own.
    "notifications": _desk(default=OK),
}


def _desk_url(name, *, complaint, article, units) -> str:
    if name == "home":
        return reverse("dispatch:home")
    if name == "queue":
        return reverse("dispatch:queue", args=[units["donghuamen"].pk])
    if name == "order":
        return reverse("dispatch:order", args=[complaint.tracking_number])
    if name.startswith("overdue_"):
        return reverse("dispatch:overdue") + "?format=" + name.removeprefix("overdue_")
    if name == "knowledge":
        return reverse("dispatch:knowledge") + "?q=供暖"
    if name in ("knowledge_detail", "knowledge_edit"):
        return reverse(f"dispatch:{name}", args=[article.pk])
    return reverse(f"dispatch:{name}")


DESK_CELLS = [pytest.param(name, who, id=f"{name}-as-{who}") for name in DESK for who in WHO]


@pytest.mark.parametrize(("name", "who"), DESK_CELLS)
def test_desk_page_access(client, submit, people, units, categories, name, who):
    world = s.World(people=people, units=units, categories=categories, submit=submit)
    complaint = world.order()
    article = s.heating_article(world)
    if who != "anonymous":
        client.force_login(people[who])
    expected = DESK[name][who]

    response = client.get(_desk_url(name, complaint=complaint, article=article, units=units))

    if expected == LOGIN:
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    elif expected == "queue":
        assert response.status_code == 302
        assert response.url == reverse("dispatch:queue", args=[units["donghuamen"].pk])
    elif isinstance(expected, str):
        assert response.status_code == 302 and response.url == reverse(expected)
    else:
        assert response.status_code == expected
    if response.status_code != 200:
        body = response.content.decode()
        assert s.RESIDENT_PHONE not in body and s.RESIDENT_NAME not in body


KNOWLEDGE_WRITES = [("operator", 404), ("donghuamen_handler", 404), ("nobody", 404), ("dispatcher", 302)]


@pytest.mark.parametrize(("who", "expected"), KNOWLEDGE_WRITES)
def test_only_a_dispatcher_writes_the_knowledge_base(client, submit, people, units, categories, who, expected):
    world = s.World(people=people, units=units, categories=categories, submit=submit)
    article = s.heating_article(world)
    client.force_login(people[who])
    form = {"title": "居住证办理", "answer": "居住半年以上可申领。", "valid_from": "2026-01-01", "version": 1}

    new = client.post(reverse("dispatch:knowledge_new"), form)
    edit = client.post(reverse("dispatch:knowledge_edit", args=[article.pk]), form)
    archive = client.post(reverse("dispatch:knowledge_archive", args=[article.pk]))

    assert (new.status_code, edit.status_code, archive.status_code) == (expected,) * 3
    article.refresh_from_db()
    changed = (article.title, article.is_archived) != ("北京市供暖季时间", False)
    assert changed == (who == "dispatcher")
