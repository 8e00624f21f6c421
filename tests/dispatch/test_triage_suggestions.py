"""Triage suggestions: the rule that would fire now, and the units that handled
the most similar orders in the same street, with a one-click dispatch."""

import time
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dispatch.models import Assignment, AssignmentStatus, TargetKind
from dispatch.selectors.triage import SIMILAR_KEPT_SECONDS, similar_kept, triage_suggestions
from dispatch.services.returns import assignment_return, returned_by
from dispatch.services.routing import route
from dispatch.services.triage import triage_dispatch
from tests.dispatch.trees import trees_built
from tests.factories import RoutingRuleFactory

TRIAGE = reverse("dispatch:triage")


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def dispatcher_client(client, people):
    client.force_login(people["dispatcher"])
    return client


@pytest.fixture
def handled(submit, people, units):
    """Past `other` orders: in 东华门街道, 景山街道办事处 twice and 东华门 once lately;
    the water utility once, 100 days ago; 建外 once but re-dispatched away (superseded);
    the market regulator once but in 景山街道 (another street)."""

    def dispatched(unit, region="yinzha", category="other_misc"):
        complaint = submit(category=category, region=region)
        return triage_dispatch(user=people["dispatcher"], complaint_id=complaint.pk, unit_id=units[unit].pk)

    with time_machine.travel(timezone.now() - timedelta(days=100)):
        dispatched("water")
    dispatched("jingshan")
    dispatched("jingshan", region="duofuxiang")
    dispatched("donghuamen")
    moved_away = dispatched("jianwai")
    triage_dispatch(user=people["dispatcher"], complaint_id=moved_away.complaint_id, unit_id=units["yinzha"].pk)
    dispatched("dc_market", region="longfusi")


def codes(suggestion):
    return [(similar.code, similar.orders) for similar in suggestion.similar]


def test_triage_suggests_units_with_most_similar_orders_in_the_street(dispatcher_client, handled, submit):
    waiting = submit(category="other_misc")
    response = dispatcher_client.get(TRIAGE)
    [(item, suggestion)] = [row for row in response.context["rows"] if row[0].complaint_id == waiting.pk]
    # Superseded (建外) and too old (water) do not count; another street (market) does not either.
    assert codes(suggestion) == [("s-110101002", 2), ("c-110101001002", 1), ("s-110101001", 1)]
    assert suggestion.unit is None
    html = response.content.decode()
    assert "景山街道办事处: 2 similar orders in this street" in html
    assert "Dispatch to 景山街道办事处" in html


def test_one_click_dispatch_sends_the_order_to_the_suggested_unit(dispatcher_client, handled, submit, units):
    waiting = submit(category="other_misc")
    suggestion = triage_suggestions(complaints=[waiting], now=timezone.now())[waiting.pk]
    top = suggestion.similar[0]
    dispatcher_client.post(
        reverse("dispatch:dispatch_to", args=[waiting.tracking_number]), {"unit": top.code, "version": waiting.version}
    )
    assert Assignment.objects.get(complaint=waiting, status=AssignmentStatus.ASSIGNED).unit == units["jingshan"]


def test_falls_back_to_the_category_group_when_the_category_has_no_history(submit, rules, people, units):
    rules["noise"].is_active = False
    rules["noise"].save(update_fields=["is_active"])
    neighbour = submit(category="noise_neighbour")
    triage_dispatch(user=people["dispatcher"], complaint_id=neighbour.pk, unit_id=units["duofuxiang"].pk)
    waiting = submit(category="noise_construction")
    suggestion = triage_suggestions(complaints=[waiting], now=timezone.now())[waiting.pk]
    assert codes(suggestion) == [("c-110101001001", 1)]


def test_suggests_the_rule_that_would_fire_now(dispatcher_client, submit, categories, units):
    waiting = submit(category="other_misc")
    rule = RoutingRuleFactory(
        name="其他→自来水", category=categories["other"], target_kind=TargetKind.FIXED, target_unit=units["water"]
    )
    response = dispatcher_client.get(TRIAGE)
    [(_, suggestion)] = response.context["rows"]
    assert (suggestion.rule, suggestion.unit) == (rule, units["water"])
    assert "Rule “其他→自来水”:" in response.content.decode()
    order = dispatcher_client.get(reverse("dispatch:order", args=[waiting.tracking_number]))
    assert order.context["triage_suggestion"].unit == units["water"]
    assert "Dispatch to 北京市自来水集团" in order.content.decode()


def test_rule_suggestion_leaves_out_the_unit_that_returned_the_order(submit, categories, units, people):
    fallback = RoutingRuleFactory(
        name="噪声兜底",
        category=categories["noise"],
        target_kind=TargetKind.FIXED,
        target_unit=units["water"],
        priority=-1,
    )
    complaint = submit()  # noise → 东华门街道办事处
    assignment = complaint.assignments.get()
    assignment_return(user=people["donghuamen_handler"], assignment_id=assignment.pk, reason="not_our_remit")
    complaint.refresh_from_db()
    suggestion = triage_suggestions(complaints=[complaint], now=timezone.now())[complaint.pk]
    assert (suggestion.rule, suggestion.unit) == (fallback, units["water"])
    # The batched read agrees with routing itself.
    assert route(complaint=complaint, exclude_unit_ids=returned_by(complaint_id=complaint.pk)) == (
        fallback,
        units["water"],
    )


def test_rule_suggestions_agree_with_routing_for_a_mixed_page(submit, rules, units):
    rules["noise"].is_active = False
    rules["noise"].save(update_fields=["is_active"])
    RoutingRuleFactory(
        name="景山噪声",
        category=rules["noise"].category,
        region=units["jingshan"].region,
        target_kind=TargetKind.STREET_OFFICE,
    )
    complaints = [submit(category="noise_construction", region=r) for r in ("duofuxiang", "longfusi", "jianwai")]
    complaints.append(submit(category="market_food", region="jianwai"))
    suggestions = triage_suggestions(complaints=complaints, now=timezone.now())
    for complaint in complaints:
        assert (suggestions[complaint.pk].rule, suggestions[complaint.pk].unit) == route(complaint=complaint)
    assert suggestions[complaints[1].pk].unit == units["jingshan"]


def test_non_dispatcher_sees_no_suggestions_on_the_order_page(client, submit, people):
    complaint = submit()
    client.force_login(people["donghuamen_handler"])
    response = client.get(reverse("dispatch:order", args=[complaint.tracking_number]))
    assert "triage_suggestion" not in response.context
    assert "reject_form" not in response.context


def test_triage_page_costs_the_same_for_3_and_12_orders(dispatcher_client, handled, submit):
    def waiting(n):
        for i in range(n):
            submit(category="other_misc", region=("duofuxiang", "yinzha", "longfusi")[i % 3])

    waiting(3)
    trees_built()
    with CaptureQueriesContext(connection) as few:
        assert len(dispatcher_client.get(TRIAGE).context["rows"]) == 3
    waiting(9)
    similar_kept.forget()  # 12 orders in the same three streets: the counts of the 3 would serve them all
    with CaptureQueriesContext(connection) as many:
        assert len(dispatcher_client.get(TRIAGE).context["rows"]) == 12
    assert len(many) == len(few)
    # 13 until routing read its rules and units from the process's snapshot (three queries fewer).
    assert len(few) <= 10, [q["sql"] for q in few.captured_queries]
    # Read again, the page counts no similar orders: the process kept the counts.
    with CaptureQueriesContext(connection) as again:
        assert len(dispatcher_client.get(TRIAGE).context["rows"]) == 12
    assert len(again) == len(many) - 1
    assert not [q for q in again.captured_queries if "COUNT(DISTINCT" in q["sql"]]


def test_similar_counts_are_kept_a_few_minutes_then_counted_again(submit, handled, people, units, monkeypatch):
    waiting = submit(category="other_misc")
    assert codes(triage_suggestions(complaints=[waiting], now=timezone.now())[waiting.pk])[0] == ("s-110101002", 2)
    for _ in range(2):
        another = submit(category="other_misc", region="yinzha")
        triage_dispatch(user=people["dispatcher"], complaint_id=another.pk, unit_id=units["donghuamen"].pk)
    # Within SIMILAR_KEPT_SECONDS the suggestion lags the last dispatches…
    assert codes(triage_suggestions(complaints=[waiting], now=timezone.now())[waiting.pk])[0] == ("s-110101002", 2)
    later = time.monotonic() + SIMILAR_KEPT_SECONDS + 1
    monkeypatch.setattr("dispatch.selectors.triage.monotonic", lambda: later)
    # …and then counts them.
    assert codes(triage_suggestions(complaints=[waiting], now=timezone.now())[waiting.pk])[0] == ("s-110101001", 3)


def test_the_orders_on_the_page_are_not_similar_ones_from_kept_counts_either(submit, handled, people, units):
    """An order led by a unit (one back in triage, say) is not a similar order of its own
    page: the counts a process keeps hold it, and it is taken off them."""
    waiting = submit(category="other_misc")
    led = Assignment.objects.filter(unit=units["jingshan"], complaint__region__code="110101001001").get().complaint
    triage_suggestions(complaints=[waiting], now=timezone.now())  # the counts kept hold `led`
    for _ in range(2):
        suggestions = triage_suggestions(complaints=[waiting, led], now=timezone.now())
        assert codes(suggestions[waiting.pk]) == [("c-110101001002", 1), ("s-110101001", 1), ("s-110101002", 1)]
        assert codes(suggestions[led.pk]) == codes(suggestions[waiting.pk])


def test_an_old_order_dispatched_again_lately_is_not_a_similar_one(submit, people, units):
    """Similar orders are those filed lately (and led lately): an order filed 100 days
    ago and dispatched today says little about where today's orders belong."""
    with time_machine.travel(timezone.now() - timedelta(days=100)):
        old = submit(category="other_misc", region="yinzha")
    triage_dispatch(user=people["dispatcher"], complaint_id=old.pk, unit_id=units["water"].pk)
    recent = submit(category="other_misc", region="yinzha")
    triage_dispatch(user=people["dispatcher"], complaint_id=recent.pk, unit_id=units["jingshan"].pk)
    waiting = submit(category="other_misc", region="yinzha")
    suggestion = triage_suggestions(complaints=[waiting], now=timezone.now())[waiting.pk]
    assert codes(suggestion) == [("s-110101002", 1)]
