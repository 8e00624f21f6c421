"""Monthly rankings, checked against a small data set computed by hand.

November 2026 in Beijing time. Three street offices: 东华门 and 景山 (东城区) and
建外 (朝阳区), plus 东城区's empty 北新桥 with no orders at all. The expected numbers
are worked out in the docstring of `november`.
"""

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints.models import Rating, Satisfaction
from dispatch.models import (
    ACTIVE_STATUSES,
    Assignment,
    AssignmentReason,
    AssignmentStatus,
    Extension,
    ExtensionStatus,
    UnitKind,
)
from dispatch.reports.periods import Month
from dispatch.reports.rankings import unit_rankings
from dispatch.reports.scope import report_scope_for
from tests.factories import ComplaintFactory, UnitFactory

BJ = ZoneInfo("Asia/Shanghai")
RANKINGS = reverse("dispatch:report_rankings")
NOW = datetime(2026, 12, 2, 9, tzinfo=BJ)
NOVEMBER = Month(2026, 11)


def nov(day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=BJ)


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def make(categories, beijing):
    """An assignment written directly, with the due times and facts the test names."""

    def _make(unit, *, complaint=None, assigned, contact_due, contacted=None, resolved=None, status=None, **extra):
        complaint = complaint or ComplaintFactory(
            category=categories["noise_construction"], region=beijing["duofuxiang"]
        )
        resolve_due = extra.pop("resolve_due", assigned + timedelta(days=7))
        status = status or (
            AssignmentStatus.RESOLVED
            if resolved
            else AssignmentStatus.IN_PROGRESS
            if contacted
            else AssignmentStatus.ASSIGNED
        )
        next_due = None
        if status in ACTIVE_STATUSES:
            next_due = contact_due if contacted is None else resolve_due
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


def rate(assignment, *, at, solved, satisfaction, round=1):
    rating = Rating.objects.create(
        complaint=assignment.complaint, round=round, solved=solved, satisfaction=satisfaction
    )
    Rating.objects.filter(pk=rating.pk).update(created_at=at)
    return rating


def extend(assignment, *, status, decided):
    return Extension.objects.create(
        assignment=assignment,
        reason="需要协调施工方",
        previous_due=assignment.resolve_due,
        requested_due=assignment.resolve_due + timedelta(days=5),
        status=status,
        decided_at=decided,
    )


@pytest.fixture
def november(units, make):
    """东华门 (dhm): due 5 (a1 a2 a3 a5 a6), met 3 (a1 a3 a6) → response 60%;
    rated 4 (r1 r2 r3 r6), solved 3, satisfied 2, basically 1 → resolution 75%,
    satisfaction (2 + 0.8) / 4 = 70%; composite 0.2·0.6 + 0.4·0.75 + 0.4·0.7 = 70%;
    received 6, resolved 4, overdue now 2 (a4 a5), extensions 1, reopened 1.

    景山 (js): due 1 (b2; b3 was re-dispatched, b1's deadline was in October), met 1
    → 100%; rated 2 (r4 r5), solved 1, satisfied 1 → 50%, 50%; composite
    0.2 + 0.2 + 0.2 = 60%; received 2, resolved 2, overdue 0, extensions 1, reopened 1.

    建外 (jw): everything 100%; received 1, resolved 1.

    Complaint c5 shows attribution after a reopen: 景山 resolved it (b2) and was rated
    "not satisfied" (r5, 景山's); reopened to 景山 (b3), re-dispatched to 东华门 (a6),
    whose resolution the second rating r6 judges — so r6 is 东华门's.
    """
    dhm, js, jw = units["donghuamen"], units["jingshan"], units["jianwai"]
    S, B, U = Satisfaction.SATISFIED, Satisfaction.BASICALLY, Satisfaction.UNSATISFIED
    a1 = make(dhm, assigned=nov(3), contact_due=nov(4), contacted=nov(3, 15), resolved=nov(5, 10))
    rate(a1, at=nov(6, 10), solved=True, satisfaction=S)
    a2 = make(dhm, assigned=nov(10), contact_due=nov(11), contacted=nov(12), resolved=nov(13))  # contacted late
    rate(a2, at=nov(14), solved=False, satisfaction=U)
    a3 = make(
        dhm,
        complaint=a2.complaint,
        reason=AssignmentReason.REOPENED,
        assigned=nov(14),
        contact_due=nov(15),
        contacted=nov(14, 12),
        resolved=nov(16),
    )
    rate(a3, at=nov(17), solved=True, satisfaction=B, round=2)
    # Contact due 1 December 01:00 Beijing (still 30 November in UTC): December's deadline.
    make(dhm, assigned=nov(30, 10), contact_due=datetime(2026, 12, 1, 1, tzinfo=BJ))
    make(dhm, assigned=nov(29, 20), contact_due=nov(30, 20))  # never contacted

    # 景山: b1 was due in October, resolved in November.
    b1 = make(
        js,
        assigned=datetime(2026, 10, 30, 9, tzinfo=BJ),
        contact_due=datetime(2026, 10, 31, 23, tzinfo=BJ),
        contacted=datetime(2026, 10, 31, 10, tzinfo=BJ),
        resolved=nov(2),
    )
    rate(b1, at=nov(3), solved=True, satisfaction=S)
    b2 = make(js, assigned=nov(1), contact_due=nov(2), contacted=nov(1, 10), resolved=nov(4))
    rate(b2, at=nov(5), solved=False, satisfaction=U)
    make(
        js,
        complaint=b2.complaint,
        reason=AssignmentReason.REOPENED,
        status=AssignmentStatus.SUPERSEDED,
        assigned=nov(5),
        contact_due=nov(6),
    )
    a6 = make(
        dhm,
        complaint=b2.complaint,
        reason=AssignmentReason.DISPATCHED,
        assigned=nov(5, 12),
        contact_due=nov(6, 12),
        contacted=nov(5, 13),
        resolved=nov(20),
    )
    rate(a6, at=nov(21), solved=True, satisfaction=S, round=2)
    # A rating given on 31 October, 23:30 Beijing time (15:30 UTC): October's.
    b4 = make(
        js,
        assigned=datetime(2026, 10, 20, tzinfo=BJ),
        contact_due=datetime(2026, 10, 21, tzinfo=BJ),
        contacted=datetime(2026, 10, 20, 12, tzinfo=BJ),
        resolved=datetime(2026, 10, 25, tzinfo=BJ),
    )
    rate(b4, at=datetime(2026, 10, 31, 23, 30, tzinfo=BJ), solved=True, satisfaction=S)

    extend(a1, status=ExtensionStatus.APPROVED, decided=nov(20))
    extend(a2, status=ExtensionStatus.REFUSED, decided=nov(12))
    extend(a3, status=ExtensionStatus.APPROVED, decided=datetime(2026, 12, 1, 12, tzinfo=BJ))
    extend(b2, status=ExtensionStatus.APPROVED, decided=nov(3))

    w1 = make(jw, assigned=nov(2), contact_due=nov(3), contacted=nov(2, 10), resolved=nov(3))
    rate(w1, at=nov(4), solved=True, satisfaction=S)

    quiet = UnitFactory(
        code="s-110101003", name="北新桥街道办事处", kind=UnitKind.STREET_OFFICE, parent=units["dongcheng"]
    )
    return {"dhm": dhm, "js": js, "jw": jw, "quiet": quiet}


def rankings_for(user, *, month=NOVEMBER, kind=UnitKind.STREET_OFFICE):
    return unit_rankings(scope=report_scope_for(user=user), kind=kind, month=month, now=NOW)


def test_rates_counts_and_composite_match_the_hand_computed_month(november, people):
    rows = {row.unit.code: row for row in rankings_for(people["city_supervisor"])}

    dhm = rows["s-110101001"]
    assert (dhm.due, dhm.met, dhm.response_rate) == (5, 3, pytest.approx(0.6))
    assert (dhm.rated, dhm.solved, dhm.satisfied, dhm.basically) == (4, 3, 2, 1)
    assert dhm.resolution_rate == pytest.approx(0.75)
    assert dhm.satisfaction_rate == pytest.approx(0.7)
    assert dhm.composite == pytest.approx(0.70)
    assert (dhm.received, dhm.resolved, dhm.overdue_now, dhm.extensions, dhm.reopened) == (6, 4, 2, 1, 1)

    js = rows["s-110101002"]
    assert (js.due, js.met, js.rated, js.solved, js.satisfied, js.basically) == (1, 1, 2, 1, 1, 0)
    assert (js.response_rate, js.resolution_rate, js.satisfaction_rate) == (1.0, 0.5, 0.5)
    assert js.composite == pytest.approx(0.60)
    assert (js.received, js.resolved, js.overdue_now, js.extensions, js.reopened) == (2, 2, 0, 1, 1)

    jw = rows["s-110105001"]
    assert jw.composite == pytest.approx(1.0)
    assert (jw.received, jw.resolved) == (1, 1)


def test_a_rating_after_a_reopen_and_redispatch_counts_for_the_unit_that_resolved_last(november, people):
    rows = {row.unit.code: row for row in rankings_for(people["city_supervisor"])}
    # r5 (not satisfied) judged 景山's resolution; r6 (satisfied) judged 东华门's after re-dispatch.
    assert rows["s-110101002"].rated == 2 and rows["s-110101002"].satisfied == 1
    assert rows["s-110101001"].rated == 4 and rows["s-110101001"].satisfied == 2


def test_units_rank_by_composite_and_units_without_data_come_last_unranked(november, people):
    rows = rankings_for(people["city_supervisor"])
    assert [(row.unit.code, row.rank) for row in rows] == [
        ("s-110105001", 1),
        ("s-110101001", 2),
        ("s-110101002", 3),
        ("s-110101003", None),
    ]
    assert rows[-1].composite is None and rows[-1].response_rate is None


def test_district_supervisor_ranks_only_their_districts_units(november, people):
    rows = rankings_for(people["dongcheng_supervisor"])
    assert [row.unit.code for row in rows] == ["s-110101001", "s-110101002", "s-110101003"]
    assert [row.rank for row in rows] == [1, 2, None]


def test_months_are_beijing_calendar_months(november, people):
    october = {row.unit.code: row for row in rankings_for(people["city_supervisor"], month=Month(2026, 10))}
    # b1's contact deadline (31 Oct 23:00 Beijing, 15:00 UTC) and b4's rating (31 Oct 23:30 Beijing) are October's.
    assert (october["s-110101002"].due, october["s-110101002"].rated) == (2, 1)
    december = {row.unit.code: row for row in rankings_for(people["city_supervisor"], month=Month(2026, 12))}
    # The deadline of 1 Dec 01:00 Beijing (30 Nov 17:00 UTC) is December's, missed by now.
    assert (december["s-110101001"].due, december["s-110101001"].met) == (1, 0)
    assert december["s-110101001"].extensions == 1


def test_the_weights_come_from_settings(november, people, settings):
    settings.WHISTLE_RANKING_WEIGHTS = {"response": 1.0, "resolution": 0.0, "satisfaction": 0.0}
    settings.WHISTLE_SATISFACTION_WEIGHTS = {"satisfied": 1.0, "basically": 0.5}
    rows = {row.unit.code: row for row in rankings_for(people["city_supervisor"])}
    assert rows["s-110101001"].satisfaction_rate == pytest.approx((2 + 0.5) / 4)
    assert rows["s-110101001"].composite == pytest.approx(0.6)
    assert rows["s-110101002"].composite == pytest.approx(1.0)  # now ties with 建外 for first
    assert [rows[c].rank for c in ("s-110105001", "s-110101002", "s-110101001")] == [1, 1, 3]


def test_a_month_still_running_judges_only_deadlines_already_past(units, make, people):
    dhm = units["donghuamen"]
    make(dhm, assigned=nov(10), contact_due=nov(11))  # missed
    make(dhm, assigned=nov(20), contact_due=nov(21))  # not yet due on the 15th
    with time_machine.travel(nov(15), tick=False):
        rows = unit_rankings(
            scope=report_scope_for(user=people["city_supervisor"]),
            kind=UnitKind.STREET_OFFICE,
            month=NOVEMBER,
            now=nov(15),
        )
    row = next(r for r in rows if r.unit == dhm)
    assert (row.due, row.met, row.response_rate) == (1, 0, 0.0)


def test_the_page_shows_ranks_rates_formulas_and_weights(client, november, people):
    client.force_login(people["dongcheng_supervisor"])
    with time_machine.travel(NOW, tick=False):
        response = client.get(RANKINGS, {"month": "2026-11", "kind": "street_office"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("东华门街道办事处") < html.index("景山街道办事处") < html.index("北新桥街道办事处")
    assert "建外街道办事处" not in html
    for shown in ("70.0%", "60.0%", "75.0%", "3/5", "—"):
        assert shown in html
    assert "0.8 × basically satisfied" in html and "0.4 × resolution" in html


@pytest.mark.parametrize(
    ("query", "field"),
    [({"month": "2026-13"}, "month"), ({"month": "November"}, "month"), ({"kind": "district"}, "kind")],
)
def test_a_bad_month_or_kind_shows_the_error_and_uses_the_default(client, november, people, query, field):
    client.force_login(people["city_supervisor"])
    with time_machine.travel(datetime(2026, 11, 25, 9, tzinfo=BJ), tick=False):
        response = client.get(RANKINGS, query)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert response.context["month"] == NOVEMBER  # the default: the current Beijing month
    assert [row.unit.kind for row in response.context["page"].object_list] == [UnitKind.STREET_OFFICE] * 4
    assert 'role="alert"' in response.content.decode()


def test_other_unit_kinds_are_ranked_on_request(client, units, make, people):
    make(units["water"], assigned=nov(2), contact_due=nov(3), contacted=nov(2, 10))
    client.force_login(people["city_supervisor"])
    with time_machine.travel(NOW, tick=False):
        response = client.get(RANKINGS, {"month": "2026-11", "kind": "utility"})
    assert [(row.unit.code, row.response_rate) for row in response.context["page"].object_list] == [("u-water", 1.0)]


def _page_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(RANKINGS, {"month": "2026-11"})
    assert response.status_code == 200
    return len(captured)


def test_the_page_query_count_does_not_grow_with_orders(client, units, make, people):
    client.force_login(people["city_supervisor"])
    streets = [units["donghuamen"], units["jingshan"], units["jianwai"]]

    def add(n):
        for i in range(n):
            a = make(streets[i % 3], assigned=nov(2 + i % 20), contact_due=nov(3 + i % 20), resolved=None)
            if i % 2:
                Assignment.objects.filter(pk=a.pk).update(
                    status=AssignmentStatus.RESOLVED, contacted_at=nov(3 + i % 20), resolved_at=nov(4 + i % 20)
                )
                rate(a, at=nov(5 + i % 20), solved=True, satisfaction=Satisfaction.SATISFIED)

    with time_machine.travel(NOW, tick=False):
        add(5)
        with_five = _page_queries(client)
        add(35)
        with_forty = _page_queries(client)
    assert with_five == with_forty
    assert with_forty <= 9


def test_the_ranking_is_paged_and_ranks_run_on_across_pages(client, november, people, settings):
    settings.WHISTLE_PAGE_SIZE = 2
    client.force_login(people["city_supervisor"])
    with time_machine.travel(NOW, tick=False):
        response = client.get(RANKINGS, {"month": "2026-11", "page": "2"})
    page = response.context["page"]
    assert [(row.unit.code, row.rank) for row in page] == [("s-110101002", 3), ("s-110101003", None)]
    assert page.paginator.count == 4
    assert "month=2026-11&amp;page=1" in response.content.decode()


def _weights_in_fresh_process(**environ: str) -> subprocess.CompletedProcess:
    """Settings are read once at import: only a new interpreter sees a new environment."""
    base = Path(__file__).resolve().parents[2]
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env.update(DJANGO_SETTINGS_MODULE="portal.settings", DJANGO_DEBUG="1", PYTHONPATH=str(base), **environ)
    code = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps([s.WHISTLE_RANKING_WEIGHTS, s.WHISTLE_SATISFACTION_WEIGHTS]))"
    )
    return subprocess.run([sys.executable, "-c", code], cwd=base, env=env, capture_output=True, text=True, timeout=60)


def test_weights_are_read_from_the_environment_and_a_key_left_out_keeps_its_default():
    done = _weights_in_fresh_process(
        WHISTLE_RANKING_WEIGHTS="response=0.5;satisfaction=0.1", WHISTLE_SATISFACTION_WEIGHTS="basically=0.6"
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [
        {"response": 0.5, "resolution": 0.4, "satisfaction": 0.1},
        {"satisfied": 1.0, "basically": 0.6},
    ]


@pytest.mark.parametrize("value", ["respons=0.5", "response=-1"])
def test_a_misspelt_or_negative_weight_stops_the_portal_starting(value):
    done = _weights_in_fresh_process(WHISTLE_RANKING_WEIGHTS=value)
    assert done.returncode != 0
    assert "WHISTLE_RANKING_WEIGHTS: use only response, resolution, satisfaction" in done.stderr
