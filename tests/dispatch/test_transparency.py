"""The public transparency page (/open/) and its JSON twin (/open/data.json).

November 2026 in Beijing time, "now" is 2 December. The fixture's three street
offices: 东华门 and 景山 (东城区), 建外 (朝阳区). Figures are checked against
`unit_rankings`, and the district's rates against its streets' summed counts.
"""

import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from complaints.models import Rating, Satisfaction
from complaints.services import complaint_rate
from dispatch.models import ACTIVE_STATUSES, Assignment, AssignmentReason, AssignmentStatus, UnitKind
from dispatch.reports.periods import Month
from dispatch.reports.public import CACHE_SECONDS, available_months, transparency_report
from dispatch.reports.rankings import unit_rankings
from dispatch.reports.scope import public_scope
from dispatch.services.assignments import (
    assignment_accept,
    assignment_add_note,
    assignment_record_contact,
    assignment_resolve,
)
from tests.factories import CategoryFactory, ComplaintFactory

BJ = ZoneInfo("Asia/Shanghai")
PAGE = reverse("public:transparency")
DATA = reverse("public:transparency_data")
NOW = datetime(2026, 12, 2, 9, tzinfo=BJ)
NOVEMBER = Month(2026, 11)
S, B, U = Satisfaction.SATISFIED, Satisfaction.BASICALLY, Satisfaction.UNSATISFIED


def nov(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=BJ)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def make(categories, beijing):
    """A lead assignment written directly, with the facts the test names."""

    def _make(unit, *, category="noise_construction", assigned, contact_due, contacted=None, resolved=None, **extra):
        complaint = extra.pop("complaint", None) or ComplaintFactory(
            category=categories[category], region=beijing[extra.pop("region", "duofuxiang")]
        )
        status = (
            AssignmentStatus.RESOLVED
            if resolved
            else AssignmentStatus.IN_PROGRESS
            if contacted
            else AssignmentStatus.ASSIGNED
        )
        resolve_due = assigned + timedelta(days=7)
        next_due = (contact_due if contacted is None else resolve_due) if status in ACTIVE_STATUSES else None
        return Assignment.objects.create(
            complaint=complaint,
            unit=unit,
            holder=unit,
            status=status,
            reason=extra.pop("reason", AssignmentReason.ROUTED),
            assigned_at=assigned,
            contact_due=contact_due,
            resolve_due=resolve_due,
            contacted_at=contacted,
            resolved_at=resolved,
            next_due=next_due,
        )

    return _make


def rate(assignment, *, at, solved, satisfaction):
    rating = Rating.objects.create(complaint=assignment.complaint, solved=solved, satisfaction=satisfaction)
    Rating.objects.filter(pk=rating.pk).update(created_at=at)


@pytest.fixture
def november(units, make):
    """东华门: due 2, met 1 (50%); rated 2, solved 2, satisfied 2 → 100%, 100%; received 2.
    景山: due 3, met 3 (100%); rated 1, solved 0, unsatisfied → 0%, 0%; received 3.
    So 东城区 sums to due 5, met 4 (80%, where the average of 50% and 100% would be 75%),
    rated 3, solved 2 (66.7%), satisfaction 2/3 (66.7%, average 50%).
    建外 (朝阳区): one order received, contacted in time, not rated."""
    dhm, js, jw = units["donghuamen"], units["jingshan"], units["jianwai"]
    a1 = make(dhm, assigned=nov(3), contact_due=nov(4), contacted=nov(3, 15), resolved=nov(5))
    a2 = make(dhm, assigned=nov(10), contact_due=nov(11), contacted=nov(12), resolved=nov(13))
    rate(a1, at=nov(6), solved=True, satisfaction=S)
    rate(a2, at=nov(14), solved=True, satisfaction=S)
    b = [
        make(
            js,
            category="market_food",
            assigned=nov(d),
            contact_due=nov(d + 1),
            contacted=nov(d, 12),
            resolved=nov(d + 2),
        )
        for d in (5, 8, 12)
    ]
    rate(b[0], at=nov(20), solved=False, satisfaction=U)
    make(jw, category="water_outage", region="jianwai", assigned=nov(7), contact_due=nov(8), contacted=nov(7, 10))
    return {"dhm": dhm, "js": js, "jw": jw}


def _row(body: str, *, table: str, name: str) -> list[str]:
    """The cells' texts of the row naming `name` in the table with id `table`."""
    rows = re.findall(r"<tr>(.*?)</tr>", body.split(f'id="{table}"', 1)[1].split("</table>", 1)[0], re.S)
    row = next(r for r in rows if f">{name}<" in r)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]


def _streets(report) -> dict:
    return {s.name: s for s in report.streets}


def test_street_figures_are_the_rankings_figures(november, clock):
    report = transparency_report(month=NOVEMBER)
    rankings = {
        r.unit.pk: r for r in unit_rankings(scope=public_scope(), kind=UnitKind.STREET_OFFICE, month=NOVEMBER, now=NOW)
    }
    streets = _streets(report)
    for name, unit in (("东华门街道", november["dhm"]), ("景山街道", november["js"]), ("建外街道", november["jw"])):
        ranked, shown = rankings[unit.pk], streets[name]
        assert shown.rank == ranked.rank
        assert shown.figures.received == ranked.received
        assert (shown.figures.due, shown.figures.met, shown.figures.rated, shown.figures.solved) == (
            ranked.due,
            ranked.met,
            ranked.rated,
            ranked.solved,
        )
        assert shown.figures.response_pct == ranked.response_pct
        assert shown.figures.resolution_pct == ranked.resolution_pct
        assert shown.figures.satisfaction_pct == ranked.satisfaction_pct
        assert shown.figures.composite_pct == ranked.composite_pct
    assert streets["东华门街道"].figures.response_pct == 50.0
    assert streets["景山街道"].figures.received == 3


def test_district_rates_are_recomputed_from_summed_counts_not_averaged(november, clock):
    report = transparency_report(month=NOVEMBER, district_code="110101")
    assert report.district.name == "东城区"
    assert {s.name for s in report.streets} == {"东华门街道", "景山街道"}
    total = report.total
    assert (total.received, total.due, total.met, total.rated, total.solved) == (5, 5, 4, 3, 2)
    assert total.response_pct == 80.0  # 4 ÷ 5, not (50% + 100%) ÷ 2
    assert total.resolution_pct == 66.7
    assert total.satisfaction_pct == 66.7  # 2 satisfied ÷ 3 ratings, not (100% + 0%) ÷ 2
    city = transparency_report(month=NOVEMBER)
    assert city.total.received == 6
    assert city.total.due == 6 and city.total.met == 5
    chaoyang = next(d for d in city.districts if d.code == "110105")
    assert (chaoyang.streets, chaoyang.figures.received, chaoyang.figures.response_pct) == (1, 1, 100.0)


def test_top_categories_are_the_five_top_level_groups_with_most_orders_received(units, categories, make, clock):
    for code in ("traffic", "housing"):
        categories[code] = CategoryFactory(code=code, name={"traffic": "交通管理", "housing": "住房保障"}[code])
    dhm, jw = units["donghuamen"], units["jianwai"]
    counts = {
        "noise_construction": 2,
        "noise_neighbour": 2,
        "market_food": 3,
        "water_outage": 2,
        "traffic": 1,
        "other_misc": 1,
    }
    for category, n in counts.items():
        for i in range(n):
            make(dhm, category=category, assigned=nov(3 + i), contact_due=nov(4 + i))
    make(jw, category="housing", region="jianwai", assigned=nov(3), contact_due=nov(4))
    make(jw, category="housing", region="jianwai", assigned=nov(4), contact_due=nov(5))
    make(dhm, category="traffic", assigned=datetime(2026, 10, 30, tzinfo=BJ), contact_due=nov(1))  # October's

    city = transparency_report(month=NOVEMBER)
    assert [(c.name, c.received) for c in city.categories] == [
        ("噪声扰民", 4),  # construction and neighbour noise, counted for their group
        ("市场监管", 3),
        ("住房保障", 2),
        ("水电气热", 2),
        ("交通管理", 1),
    ]
    chaoyang = transparency_report(month=NOVEMBER, district_code="110105")
    assert [(c.name, c.received) for c in chaoyang.categories] == [("住房保障", 2)]


def test_category_names_follow_the_readers_language(units, categories, make, client, clock):
    categories["noise"].name_en = "Noise"
    categories["noise"].save(update_fields=["name_en"])
    make(units["donghuamen"], assigned=nov(3), contact_due=nov(4))
    english = client.get(PAGE, {"month": "2026-11"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = client.get(PAGE, {"month": "2026-11"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert '<th scope="row">Noise</th>' in english
    assert '<th scope="row">噪声扰民</th>' in chinese


SECRETS = {
    "resident_name": "甄隐秘",
    "resident_phone": "13912345678",
    "resident_email": "zhen.secret@example.com",
    "description": "楼下烧烤摊XYZZY描述",
    "address": "秘密胡同42号院",
}
NOTE, CONTACT, REPLY, COMMENT = "内部备注QWERTY", "电话联系了PLUGH", "已协调城管FROBOZZ处理", "评价留言GRUE"


def test_the_transparency_page_holds_no_personal_data_or_free_text(submit, people, client):
    """A complaint carrying distinctive strings in every personal and free-text field,
    worked to a rating; none of those strings may reach the page or the JSON."""
    complaint = submit(**SECRETS)
    assignment = complaint.assignments.get()
    handler = people["donghuamen_handler"]
    assignment_accept(user=handler, assignment_id=assignment.pk)
    assignment_add_note(user=handler, assignment_id=assignment.pk, note=NOTE)
    assignment_record_contact(user=handler, assignment_id=assignment.pk, note=CONTACT)
    assignment_resolve(user=handler, assignment_id=assignment.pk, reply=REPLY)
    complaint_rate(complaint_id=complaint.pk, solved=True, satisfaction=S, comment=COMMENT)

    bodies = []
    for language in ("en", "zh-hans"):
        page = client.get(PAGE, HTTP_ACCEPT_LANGUAGE=language)
        assert page.status_code == 200
        bodies.append(page.content.decode())
    data = client.get(DATA)
    bodies.append(json.dumps(data.json(), ensure_ascii=False))
    assert data.json()["total"]["received"] == 1  # the order is counted …
    assert data.json()["total"]["rated"] == 1
    for body in bodies:
        assert "东华门街道" in body
        for secret in [*SECRETS.values(), NOTE, CONTACT, REPLY, COMMENT, complaint.tracking_number, "8000", "5678"]:
            assert secret not in body  # … but nothing about it but its count


def test_the_public_transparency_page_shows_the_months_rates_by_street(november, client, clock):
    response = client.get(PAGE, {"month": "2026-11"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.content.decode()
    # Rank, street, district, received, response, resolution, satisfaction, composite
    # (0.2 × 50% + 0.4 × 100% + 0.4 × 100% = 90%): second to 建外 (100%, its one rate).
    assert _row(body, table="open-streets", name="东华门街道") == [
        "2",
        "东华门街道",
        "东城区",
        "2",
        "50.0%",
        "100.0%",
        "100.0%",
        "90.0%",
    ]
    assert 'id="rates-chart"' in body and 'id="rates-chart-data"' in body
    assert "2026-11, the whole month" in body


def test_the_page_needs_no_login_and_asks_for_none(november, client, clock):
    response = client.get(PAGE)
    assert response.status_code == 200
    assert "login" not in response.get("Location", "")
    assert client.get(DATA).status_code == 200


def test_a_district_is_narrowed_and_marked_on_the_map_data(november, client, clock):
    response = client.get(PAGE, {"month": "2026-11", "district": "110105"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.content.decode()
    streets = body[body.index('id="open-streets"') :]
    assert "建外街道" in streets and "东华门街道" not in streets
    map_data = json.loads(body.split('<script id="open-map-data" type="application/json">')[1].split("</script>")[0])
    assert map_data["selected"] == "110105"
    assert {d["code"]: d["received"] for d in map_data["districts"]} == {"110101": 5, "110105": 1}
    assert response.context["rates_chart"]["labels"] == ["建外街道"]


def test_the_json_twin_has_the_same_numbers(november, client, clock):
    data = client.get(DATA, {"month": "2026-11", "district": "110101"}).json()
    assert data["month"] == "2026-11" and data["district"] == "110101"
    assert data["total"]["response_rate"] == 80.0
    assert {s["name"]: s["received"] for s in data["streets"]} == {"东华门街道": 2, "景山街道": 3}
    assert data["top_categories"] == [
        {"id": data["top_categories"][0]["id"], "name": "市场监管", "name_en": "", "received": 3},
        {"id": data["top_categories"][1]["id"], "name": "噪声扰民", "name_en": "", "received": 2},
    ]


def test_the_figures_are_cached_at_most_five_minutes(units, make, client):
    with time_machine.travel(NOW, tick=False) as traveller:
        make(units["donghuamen"], assigned=NOW - timedelta(hours=1), contact_due=NOW + timedelta(hours=2))
        assert client.get(DATA).json()["total"]["received"] == 1
        make(units["jingshan"], assigned=NOW - timedelta(minutes=30), contact_due=NOW + timedelta(hours=2))

        traveller.shift(CACHE_SECONDS - 1)
        response = client.get(DATA)
        assert response.json()["total"]["received"] == 1  # the cached figures, 299 s old
        assert response["Cache-Control"] == "public, max-age=1"

        traveller.shift(2)
        assert client.get(DATA).json()["total"]["received"] == 2  # 301 s: computed afresh
        assert client.get(PAGE).context["report"].total.received == 2


def test_a_cold_page_costs_a_fixed_number_of_queries_and_a_warm_one_none(
    november, make, units, client, django_assert_num_queries, clock
):
    # Seven, and the days of the month the rankings' rollup holds (none summed here).
    with django_assert_num_queries(8):
        client.get(PAGE, {"month": "2026-11"})
    with django_assert_num_queries(0):
        client.get(PAGE, {"month": "2026-11", "district": "110101"})
        client.get(DATA, {"month": "2026-11"})
    # Ten times the orders cost no more queries.
    for day in range(1, 11):
        make(units["jianwai"], region="jianwai", assigned=nov(day), contact_due=nov(day + 1))
    cache.clear()
    with django_assert_num_queries(8):
        client.get(PAGE, {"month": "2026-11"})


def test_the_month_picker_offers_this_month_and_the_twelve_before(november, client, clock):
    months = available_months(now=NOW)
    assert [str(m) for m in (months[0], months[1], months[-1])] == ["2026-12", "2026-11", "2025-12"]
    assert len(months) == 13
    response = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en")
    assert response.context["report"].month == Month(2026, 12)  # this month by default
    assert "2026-12 so far" in response.content.decode()
    assert client.get(PAGE, {"month": "2025-12"}).status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"month": "2026-13"},
        {"month": "november"},
        {"month": "2025-11"},  # thirteen months back
        {"month": "2027-01"},  # the future
        {"month": "2026-11" * 200},
        {"district": "999999"},
        {"district": "11010"},
        {"district": "110101001"},  # a street, not a district
        {"district": "' OR 1=1 --"},
        {"district": "１１０１０１"},  # full-width digits
        {"month": "2026-11", "district": "x" * 5000},
    ],
)
def test_a_bad_month_or_district_is_refused_clearly_never_a_500(november, client, clock, params):
    page = client.get(PAGE, params, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 400
    body = page.content.decode()
    assert "We could not show what the address asked for." in body
    assert "Shown instead: all of Beijing, this month." in body
    assert page.context["report"].month == Month(2026, 12) and page.context["report"].district is None
    data = client.get(DATA, params, HTTP_ACCEPT_LANGUAGE="en")
    assert data.status_code == 400
    assert set(data.json()["errors"]) <= {"month", "district"} and data.json()["errors"]
    assert "streets" not in data.json()


def test_an_unknown_district_says_so(november, client, clock):
    data = client.get(DATA, {"district": "110999"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert data["errors"] == {"district": ["There is no district with that code. Choose one from the list."]}
    month = client.get(DATA, {"month": "2020-01"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert "choose the current month or one of the 12 before it" in month["errors"]["month"][0]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_both_languages_render(november, client, clock, language):
    response = client.get(PAGE, {"month": "2026-11"}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<html lang="{language}">' in body
    assert ("Response rate" if language == "en" else "响应率") in body
    assert "东华门街道" in body and "50.0%" in body


def test_the_home_page_links_to_the_transparency_page(db, client):
    assert f'href="{PAGE}"' in client.get("/").content.decode()


def test_only_street_offices_orders_are_counted(november, units, make, clock):
    """Departments and utilities are summoned or routed to, but the page ranks the streets:
    their orders are in no street's and no district's figures."""
    make(units["dc_market"], category="market_food", assigned=nov(9), contact_due=nov(10))
    make(units["water"], category="water_outage", assigned=nov(9), contact_due=nov(10))
    report = transparency_report(month=NOVEMBER)
    assert {s.name for s in report.streets} == {"东华门街道", "景山街道", "建外街道"}
    assert report.total.received == 6
    assert sum(c.received for c in report.categories) == 6


def test_the_page_only_answers_reads(november, client, clock):
    assert client.head(PAGE).status_code == 200
    assert client.post(PAGE, {"month": "2026-11"}).status_code == 405
    assert client.post(DATA).status_code == 405
