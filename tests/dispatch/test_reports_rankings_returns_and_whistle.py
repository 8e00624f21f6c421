"""Rankings count returns per unit and the whistle response figure; summonses never
count in a department's three rates."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from dispatch.models import AssignmentRole
from dispatch.reports.periods import Month
from dispatch.reports.rankings import unit_rankings
from dispatch.reports.scope import report_scope_for
from dispatch.services.assignments import assignment_accept
from dispatch.services.returns import assignment_return
from dispatch.services.whistle import whistle_blow, whistle_report

T0 = datetime(2026, 11, 10, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def rows_by_code(user, kind, now):
    scope = report_scope_for(user=user)
    return {r.unit.code: r for r in unit_rankings(scope=scope, kind=kind, month=Month.containing(now), now=now)}


def test_whistle_response_counts_reports_in_time_and_summonses_stay_out_of_the_three_rates(submit, people, units):
    with time_machine.travel(T0, tick=False):
        complaint = submit()
        lead = complaint.assignments.get()
        assignment_accept(user=people["donghuamen_handler"], assignment_id=lead.pk)
        summons = whistle_blow(
            user=people["donghuamen_handler"],
            assignment_id=lead.pk,
            unit_ids=[units["dc_market"].pk, units["cy_market"].pk],
            message="请到现场核查",
            version=None,
        )
    on_time = next(s for s in summons if s.unit == units["dc_market"])
    with time_machine.travel(T0 + timedelta(minutes=20), tick=False):
        whistle_report(user=people["market_handler"], assignment_id=on_time.pk, note="已到现场", version=None)

    later = T0 + timedelta(hours=2)
    rows = rows_by_code(people["city_supervisor"], "department", later)
    market, chaoyang = rows["dep-110101-market"], rows["dep-110105-market"]
    assert (market.summoned, market.reported_in_time, market.whistle_response_pct) == (1, 1, 100.0)
    assert (chaoyang.summoned, chaoyang.reported_in_time, chaoyang.whistle_response_pct) == (1, 0, 0.0)
    # A summons is not an order the department received or must contact the resident for.
    assert (market.received, market.due) == (0, 0)
    assert complaint.assignments.filter(role=AssignmentRole.CO_HANDLER).count() == 2


def test_returns_per_unit_appear_in_the_rankings(submit, people, units):
    with time_machine.travel(T0, tick=False):
        complaint = submit()
        assignment_return(
            user=people["donghuamen_handler"], assignment_id=complaint.assignments.get().pk, reason="wrong_place"
        )
    rows = rows_by_code(people["dongcheng_supervisor"], "street_office", T0 + timedelta(hours=1))
    assert rows["s-110101001"].returned == 1
    assert rows["s-110101002"].returned == 0
