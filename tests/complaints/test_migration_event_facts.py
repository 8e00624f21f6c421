"""Migration 0007 turns the sentences the old code stored into facts, so old
timelines read in the reader's language like new ones; what it cannot parse is
kept and shown as it was."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from complaints.models import ComplaintEvent
from complaints.timeline import RESIDENT, STAFF, timeline_lines

BEFORE = [("complaints", "0006_photos")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_old_sentences_become_facts_read_in_both_languages(submit, units, rules):
    complaint = submit()
    complaint.events.all().delete()
    street, community, market = units["donghuamen"], units["duofuxiang"], units["dc_market"]
    _migrate(BEFORE)
    old = MigrationExecutor(connection).loader.project_state(BEFORE).apps.get_model("complaints", "ComplaintEvent")
    rows = [
        ("submitted", True, "", "", {}),
        (
            "assigned",
            True,
            f"已派单至 {street.name}。",
            "12345中心",
            {"unit_id": street.pk, "rule_id": 1, "rule": "噪声"},
        ),
        ("accepted", True, f"{street.name} 已签收工单。", street.name, {}),
        ("contacted", True, "承办单位已与您联系。", street.name, {"note": "电话联系"}),
        ("note", False, "电话联系", street.name, {}),
        ("handed_down", True, f"已下派至 {community.name}。", street.name, {"unit_id": community.pk}),
        (
            "note",
            True,
            f"{street.name} 已吹哨召集 {market.name} 协助办理。",
            street.name,
            {"whistle": True, "unit_ids": [market.pk]},
        ),
        ("note", True, f"{market.name} 已报到：已到现场", market.name, {"whistle_report": True, "assignment_id": 9}),
        ("note", False, "申请延期至 2026-11-30 18:00：等待业主大会表决", street.name, {"extension_id": 3}),
        (
            "note",
            False,
            "优先级已由“一般”调整为“紧急”。",
            "12345中心",
            {"priority": "urgent", "previous_priority": "normal"},
        ),
        ("resolved", True, "已责令施工方夜间停工", street.name, {}),
        ("rated", True, "还行", "市民", {"solved": True, "satisfaction": "satisfied"}),
        ("reopened", True, "市民不满意，工单退回承办单位重新办理。", "市民", {}),
        ("assigned", True, f"已退回 {street.name}。", "12345中心", {"unit_id": street.pk, "reopened": True}),
        ("rejected", True, "不予受理：属于司法程序", "12345中心", {"reason": "属于司法程序"}),
        ("note", True, "一句没有人认得的话", "不存在的单位", {}),
    ]
    ids = [
        old.objects.create(
            complaint_id=complaint.pk, kind=kind, is_public=public, message=message, actor_label=actor, data=data
        ).pk
        for kind, public, message, actor, data in rows
    ]

    executor = MigrationExecutor(connection)
    _migrate(executor.loader.graph.leaf_nodes())

    events = list(ComplaintEvent.objects.filter(pk__in=ids).order_by("pk"))
    facts = [event.data.get("fact", "legacy") for event in events]
    assert facts == [
        "submitted",
        "assigned",
        "accepted",
        "contacted",
        "note",
        "handed_down",
        "whistle",
        "whistle_report",
        "extension_requested",
        "priority",
        "resolved",
        "rated",
        "reopened",
        "reassigned",
        "rejected",
        "legacy",
    ]
    assert events[1].data == {"fact": "assigned", "by": "centre", "unit": street.pk, "rule_id": 1, "rule": "噪声"}
    assert events[6].data == {"fact": "whistle", "by_unit": street.pk, "units": [market.pk]}
    assert events[13].data == {"fact": "reassigned", "by": "system", "unit": street.pk}
    # Generated sentences are gone from `message`; typed text stays.
    assert [events[i].message for i in (1, 2, 4, 10, 11)] == ["", "", "电话联系", "已责令施工方夜间停工", "还行"]

    with translation.override("zh-hans"):
        chinese = {line.id: line for line in timeline_lines(events, audience=STAFF)}
    with translation.override("en"):
        english = {line.id: line for line in timeline_lines(events, audience=STAFF)}
        resident = {line.id: line for line in timeline_lines(events, audience=RESIDENT)}
    assert chinese[ids[2]].text == f"{street.name} 已签收工单。"
    assert english[ids[2]].text == f"{street.name} has signed for the order."
    assert (english[ids[1]].actor, chinese[ids[1]].actor) == ("12345 centre", "12345中心")
    assert english[ids[3]].text == f"{street.name} has recorded contact with the resident."
    assert resident[ids[3]].text == f"{street.name} has contacted you."
    assert english[ids[6]].text == f"{street.name} has summoned {market.name} to help."
    assert english[ids[8]].text == "Asked for more time, until 2026-11-30 18:00: 等待业主大会表决"
    assert english[ids[9]].text == "Priority changed from Ordinary to Urgent."
    assert english[ids[13]].actor == "System"
    assert english[ids[14]].text == "Not accepted for handling: 属于司法程序"
    # The unit's report was public under the old code; the row keeps the visibility it had.
    assert ids[4] not in resident and ids[8] not in resident
    # Not parsed: shown as it was stored.
    assert (english[ids[15]].text, english[ids[15]].actor) == ("一句没有人认得的话", "不存在的单位")
