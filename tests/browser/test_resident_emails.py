"""A resident files with an e-mail address in the browser, the street office works
the order (through its services), and the resident rates the result from the link
in the e-mail, in the browser, without typing the tracking number. The live server
shares mail.outbox (locmem backend) and runs the notice tasks eagerly."""

import re

import pytest
from django.core import mail

from complaints.models import Complaint, ComplaintStatus, NoticeStatus, Rating, ResidentNotice
from dispatch.services.assignments import assignment_accept, assignment_record_contact, assignment_resolve

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RATE_PATH = re.compile(r"https?://[^/\s]+(/notices/rate/[^/\s]+/)")


def test_resident_rates_from_the_emailed_link(live_server, page_factory, beijing, categories, rules, units, people):
    mail.outbox.clear()
    resident = page_factory()
    resident.goto(f"{live_server.url}/file/")
    resident.select_option("select[name=category]", str(categories["noise_construction"].pk))
    resident.select_option("select[name=district]", beijing["dongcheng"].code)
    resident.wait_for_selector(f"select[name=street] option[value='{beijing['donghuamen'].code}']", state="attached")
    resident.select_option("select[name=street]", beijing["donghuamen"].code)
    resident.wait_for_selector(f"select[name=community] option[value='{beijing['duofuxiang'].code}']", state="attached")
    resident.select_option("select[name=community]", beijing["duofuxiang"].code)
    resident.fill("[name=address]", "东华门大街 1 号")
    resident.fill("[name=description]", "工地每晚施工到凌晨两点，影响休息")
    resident.fill("[name=resident_name]", "王芳")
    resident.fill("[name=resident_phone]", "13912345678")
    resident.fill("[name=resident_email]", "wang.fang@example.com")
    resident.click("#intake-form button[type=submit]:not([name=refresh_places])")
    tracking_number = resident.inner_text("#tracking-number").strip()
    complaint = Complaint.objects.get(tracking_number=tracking_number)
    # The browser asked for Chinese: the resident is written to in Chinese.
    assert complaint.language == "zh-hans"
    assert [m.to for m in mail.outbox] == [["wang.fang@example.com"]]
    assert "工单编号" in mail.outbox[0].body

    handler = people["donghuamen_handler"]
    assignment = complaint.assignments.get()
    assignment_accept(user=handler, assignment_id=assignment.pk)
    assignment_record_contact(user=handler, assignment_id=assignment.pk, note="电话联系王女士")
    assignment_resolve(user=handler, assignment_id=assignment.pk, reply="已约谈施工单位，夜间22点后停止施工")
    assert len(mail.outbox) == 4
    resolved_mail = mail.outbox[-1]
    assert "已约谈施工单位" in resolved_mail.body
    assert "已办结" in resolved_mail.body

    # A new browser (the resident's phone, say) with no grant: the link alone opens the form.
    phone = page_factory()
    phone.goto(live_server.url + RATE_PATH.search(resolved_mail.body).group(1))
    assert phone.url.endswith(f"/track/{tracking_number}/#rate-title")
    assert "已约谈施工单位" in phone.content()
    phone.check("[name=solved][value=yes]")
    phone.check("[name=satisfaction][value=satisfied]")
    phone.click(f"form[action$='/track/{tracking_number}/rate/'] button[type=submit]")
    phone.wait_for_selector(".status-closed")
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.CLOSED
    assert Rating.objects.get(complaint=complaint).satisfaction == "satisfied"
    # Every message went once; none is left waiting.
    assert not ResidentNotice.objects.exclude(status=NoticeStatus.SENT).exists()
