"""Blowing the whistle and reporting, through the order page and the queue."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from complaints.models import ComplaintStatus
from dispatch.models import Assignment, AssignmentRole, AssignmentStatus
from dispatch.services.assignments import assignment_accept


@pytest.fixture
def order(submit, people):
    complaint = submit()
    lead = complaint.assignments.get()
    assignment_accept(user=people["donghuamen_handler"], assignment_id=lead.pk)
    lead.refresh_from_db()
    return complaint, lead


def url(name, complaint):
    return reverse(f"dispatch:{name}", args=[complaint.tracking_number])


def co_handlers(complaint):
    return list(Assignment.objects.filter(complaint=complaint, role=AssignmentRole.CO_HANDLER).order_by("pk"))


def test_street_blows_the_whistle_department_reports_and_street_sees_it(order, people, units, as_user):
    complaint, lead = order
    street = as_user(people["donghuamen_handler"])
    page = street.get(url("order", complaint))
    form = page.context["whistle_form"]
    offered = {pk for _group, choices in form.fields["units"].choices for pk, _name in choices}
    # The district's departments and the city utilities, never the other district's nor a street office.
    assert offered == {units["dc_market"].pk, units["water"].pk}
    assert "Blow the whistle" in page.content.decode()

    response = street.post(
        url("whistle", complaint),
        {"units": [units["dc_market"].pk, units["water"].pk], "message": "请到现场", "version": lead.version},
        follow=True,
    )
    assert "Summoned: 东城区市场监督管理局, 北京市自来水集团." in response.content.decode()
    market, water = co_handlers(complaint)
    assert "whistle_form" not in response.context  # everyone it could summon is summoned

    department = as_user(people["market_handler"])
    queue = department.get(reverse("dispatch:queue", args=[units["dc_market"].pk])).content.decode()
    assert complaint.tracking_number in queue
    assert f"summoned — report by {timezone.localtime(market.report_due).strftime('%H:%M')}" in queue

    page = department.get(url("order", complaint))
    html = page.content.decode()
    assert page.context["view"].co_handling == market and not page.context["view"].can_act
    assert page.context["assignment"] == lead  # the panel describes the lead
    assert "whistle_form" not in page.context and "return_form" not in page.context
    assert "extension_form" not in page.context and not page.context["forms"]
    assert "请到现场" in html and "13800138000" in html  # a summoned unit may reach the resident
    response = department.post(
        url("whistle_report", complaint), {"note": "已到现场", "version": market.version}, follow=True
    )
    assert "Reported. The lead unit can see it." in response.content.decode()

    with time_machine.travel(timezone.now() + timedelta(minutes=31), tick=False):
        page = street.get(url("order", complaint))
    rows = {co.unit_id: co for co in page.context["summoned"]}
    assert rows[units["dc_market"].pk].reported_at is not None and not rows[units["dc_market"].pk].is_late
    assert rows[units["water"].pk].is_late
    html = page.content.decode()
    assert "已到现场" in html and "late" in html


def test_a_department_handler_forging_lead_actions_is_refused(order, people, units, as_user):
    complaint, lead = order
    as_user(people["donghuamen_handler"]).post(
        url("whistle", complaint), {"units": [units["dc_market"].pk], "message": "请到现场", "version": lead.version}
    )
    (market,) = co_handlers(complaint)
    department = as_user(people["market_handler"])
    for name, data in [
        ("accept", {"version": market.version}),
        ("accept", {"version": lead.version}),
        ("contact", {"note": "x", "version": market.version}),
        ("resolve", {"reply": "已解决", "version": market.version}),
        ("return_order", {"reason": "not_our_remit", "version": market.version}),
        ("extension_request", {"requested_due": "2099-01-01 10:00", "reason": "x", "version": market.version}),
        ("whistle", {"units": [units["water"].pk], "message": "x", "version": market.version}),
        ("hand_down", {"community": units["duofuxiang"].pk, "version": market.version}),
        ("recall", {"version": market.version}),
        ("note", {"note": "x"}),
    ]:
        response = department.post(url(name, complaint), data, follow=True)
        assert response.status_code == 200, name
        assert response.context["messages"] and list(response.context["messages"])[0].level_tag == "error", name
    market.refresh_from_db()
    lead.refresh_from_db()
    complaint.refresh_from_db()
    assert (market.status, lead.status, complaint.status) == (
        AssignmentStatus.ASSIGNED,
        AssignmentStatus.ACCEPTED,
        ComplaintStatus.ACCEPTED,
    )
    assert co_handlers(complaint) == [market]


def test_bad_whistle_posts_are_refused_with_a_message(order, people, units, as_user):
    complaint, lead = order
    street = as_user(people["donghuamen_handler"])
    for data, refusal in [
        ({"units": [units["dc_market"].pk], "message": "", "version": lead.version}, "Say what the summoned units"),
        ({"message": "x", "version": lead.version}, "Choose at least one"),
        ({"units": ["abc"], "message": "x", "version": lead.version}, "Choose at least one"),
        ({"units": [units["jingshan"].pk], "message": "x", "version": lead.version}, "not a department or utility"),
        ({"units": [units["dc_market"].pk], "message": "x", "version": lead.version + 5}, "changed"),
    ]:
        response = street.post(url("whistle", complaint), data, follow=True)
        assert refusal in response.content.decode(), refusal
    assert co_handlers(complaint) == []


def test_other_handlers_do_not_see_the_order_nor_the_report_form(order, people, as_user):
    complaint, _lead = order
    assert as_user(people["jingshan_handler"]).get(url("order", complaint)).status_code == 404
    response = as_user(people["jingshan_handler"]).post(url("whistle_report", complaint), {"note": "x", "version": 1})
    assert response.status_code == 404
    # The lead's handler has no summons to report on.
    response = as_user(people["donghuamen_handler"]).post(
        url("whistle_report", complaint), {"note": "x", "version": 1}, follow=True
    )
    assert "Only a summoned unit reports." in response.content.decode()


def test_the_whistle_offers_checkboxes_grouped_by_departments_and_utilities(order, people, units, as_user):
    complaint, _lead = order
    page = as_user(people["donghuamen_handler"]).get(url("order", complaint))
    html = page.content.decode()

    assert [group for group, _choices in page.context["whistle_form"].fields["units"].choices] == [
        "Departments",
        "Utilities",
    ]
    assert f'type="checkbox" name="units" value="{units["dc_market"].pk}"' in html
    assert "Tick every department or utility that must report." in html
    assert '<select name="units"' not in html


def test_the_whistle_s_success_message_joins_names_with_the_chinese_list_mark(order, people, units):
    complaint, lead = order
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(people["donghuamen_handler"])

    response = client.post(
        url("whistle", complaint),
        {"units": [units["dc_market"].pk, units["water"].pk], "message": "请到现场", "version": lead.version},
        follow=True,
    )

    html = response.content.decode()
    assert "东城区市场监督管理局、北京市自来水集团" in html
    assert "东城区市场监督管理局, 北京市自来水集团" not in html


def _summoned(order, people, units, as_user):
    complaint, lead = order
    as_user(people["donghuamen_handler"]).post(
        url("whistle", complaint), {"units": [units["dc_market"].pk], "message": "请到现场", "version": lead.version}
    )
    (market,) = co_handlers(complaint)
    return complaint, market


def _resident_texts(complaint):
    from complaints.selectors import public_timeline
    from complaints.timeline import RESIDENT, timeline_lines

    return [line.text for line in timeline_lines(public_timeline(complaint=complaint), audience=RESIDENT)]


def test_the_report_form_says_who_reads_what(order, people, units, as_user):
    complaint, _market = _summoned(order, people, units, as_user)
    html = as_user(people["market_handler"]).get(url("order", complaint)).content.decode()
    report = html[html.index('action="' + url("whistle_report", complaint)) :]
    report = report[: report.index("</form>")]
    assert "Internal: the resident does not see this." in report
    assert "Also tell the resident that your unit has reported" in report
    assert "The resident sees this." in report
    assert 'name="public_line"' in report


def test_a_report_is_internal_unless_the_unit_publishes_a_line(order, people, units, as_user):
    complaint, market = _summoned(order, people, units, as_user)
    department = as_user(people["market_handler"])
    department.post(
        url("whistle_report", complaint), {"note": "已到现场，联系了施工队李经理", "version": market.version}
    )
    assert not any("李经理" in text or "已报到" in text for text in _resident_texts(complaint))
    # The staff page shows the report, marked internal.
    html = as_user(people["donghuamen_handler"]).get(url("order", complaint)).content.decode()
    assert "东城区市场监督管理局 has reported: 已到现场，联系了施工队李经理" in html


def test_a_published_report_puts_the_units_line_on_the_residents_timeline(order, people, units, as_user):
    complaint, market = _summoned(order, people, units, as_user)
    as_user(people["market_handler"]).post(
        url("whistle_report", complaint),
        {
            "note": "已到现场，联系了施工队李经理",
            "publish": "on",
            "public_line": "已到现场检查，施工已停止",
            "version": market.version,
        },
    )
    texts = _resident_texts(complaint)
    assert "东城区市场监督管理局, summoned to help, has reported.\n已到现场检查，施工已停止" in texts
    assert not any("李经理" in text for text in texts)


def test_a_resident_line_without_the_box_ticked_is_not_published(order, people, units, as_user):
    complaint, market = _summoned(order, people, units, as_user)
    as_user(people["market_handler"]).post(
        url("whistle_report", complaint), {"note": "已到现场", "public_line": "施工已停止", "version": market.version}
    )
    assert not any("施工已停止" in text for text in _resident_texts(complaint))


def test_a_too_long_resident_line_is_refused_and_nothing_is_reported(order, people, units, as_user):
    complaint, market = _summoned(order, people, units, as_user)
    events = complaint.events.count()
    response = as_user(people["market_handler"]).post(
        url("whistle_report", complaint),
        {"note": "已到现场", "publish": "on", "public_line": "长" * 501, "version": market.version},
        follow=True,
    )
    assert "Keep the line for the resident under 500 characters." in response.content.decode()
    market.refresh_from_db()
    assert market.reported_at is None and complaint.events.count() == events
