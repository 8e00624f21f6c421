"""The units an order page offers come from each process's copy
(dispatch.selectors.offered_units): the same units, in the same order, as the tables
say; no query once read; and a write of a unit or a region is seen at once."""

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from dispatch.models import DepartmentKind, Unit, UnitKind
from dispatch.selectors import whistle_targets
from dispatch.selectors.desk import hand_down_targets
from dispatch.selectors.offered_units import communities_under, summonable_in
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def _pks(units) -> list[int]:
    return [unit.pk for unit in units]


def test_the_copy_offers_what_the_tables_say_in_their_order(units):
    UnitFactory(code="c-110101001009", name="已撤销社区", kind=UnitKind.COMMUNITY, parent=units["donghuamen"],
                is_active=False)  # fmt: skip
    UnitFactory(code="u-power", name="电力公司", kind=UnitKind.UTILITY, department_kind=DepartmentKind.POWER,
                parent=units["water"].parent)  # fmt: skip
    street = units["donghuamen"]
    tables = Unit.objects.filter(kind=UnitKind.COMMUNITY, parent=street, is_active=True).order_by("code")
    assert _pks(communities_under(street.pk)) == _pks(tables) == [units["duofuxiang"].pk, units["yinzha"].pk]
    wanted = Q(kind=UnitKind.UTILITY) | Q(kind=UnitKind.DEPARTMENT, parent__region__code="110101")
    tables = Unit.objects.filter(wanted, is_active=True).order_by("kind", "path")
    assert _pks(summonable_in("110101")) == _pks(tables)
    assert units["dc_market"].pk in _pks(tables) and units["cy_market"].pk not in _pks(tables)
    assert _pks(summonable_in(None)) == _pks(
        Unit.objects.filter(kind=UnitKind.UTILITY, is_active=True).order_by("path")
    )


def test_read_again_it_costs_no_query_and_each_call_has_its_own_instances(units):
    first = communities_under(units["donghuamen"].pk)
    with CaptureQueriesContext(connection) as captured:
        again = communities_under(units["donghuamen"].pk)
        summonable_in("110101")
    assert len(captured) == 0
    assert _pks(again) == _pks(first) and again[0] is not first[0]
    first[0].name = "changed by one caller"
    assert communities_under(units["donghuamen"].pk)[0].name == units["duofuxiang"].name


def test_a_unit_saved_or_deleted_is_offered_as_it_now_is(units):
    street = units["donghuamen"]
    communities_under(street.pk), summonable_in("110101")  # the copy is built
    yinzha = units["yinzha"]
    yinzha.is_active = False
    yinzha.save(update_fields=["is_active"])
    assert _pks(communities_under(street.pk)) == [units["duofuxiang"].pk]
    units["water"].delete()
    assert units["water"].pk not in _pks(summonable_in("110101"))
    added = UnitFactory(code="u-gas", name="燃气公司", kind=UnitKind.UTILITY, department_kind=DepartmentKind.GAS,
                        parent=street.parent.parent)  # fmt: skip
    assert added.pk in _pks(summonable_in("110101"))


def test_the_order_page_targets_leave_out_the_lead_and_the_live_summonses(submit, people, units):
    from dispatch.services.whistle import whistle_blow

    complaint = submit()  # construction noise: the street office leads
    lead = complaint.assignments.get()
    assert _pks(hand_down_targets(assignment=lead)) == [units["duofuxiang"].pk, units["yinzha"].pk]
    before = _pks(whistle_targets(lead=lead))
    assert units["dc_market"].pk in before and units["water"].pk in before
    whistle_blow(user=people["donghuamen_handler"], assignment_id=lead.pk, unit_ids=[units["water"].pk],
                 message="请自来水公司到场", version=None)  # fmt: skip
    lead.refresh_from_db()
    after = _pks(whistle_targets(lead=lead))
    assert after == [pk for pk in before if pk != units["water"].pk]
    # The order page passes the assignments it holds: the same answer, without their query.
    held = list(complaint.assignments.all())
    with CaptureQueriesContext(connection) as captured:
        assert _pks(whistle_targets(lead=lead, assignments=held)) == after
    assert len(captured) == 0
