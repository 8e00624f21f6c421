"""Reply templates (常用语) in a real browser: choosing one fills the contact record
(static/js/reply-templates.js), and what the handler then submits is recorded."""

import re

import pytest

from complaints.models import EventKind
from dispatch.models import ReplyTemplate, TemplatePurpose
from dispatch.services.assignments import assignment_accept

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pass-word-123"
TEXT = "已电话联系市民，约定上门时间。"


def test_choosing_a_template_fills_the_contact_record(live_server, page_factory, submit, units, people):
    complaint = submit(category="noise_construction")
    assignment_accept(user=people["donghuamen_handler"], assignment_id=complaint.assignments.get().pk)
    chosen = ReplyTemplate.objects.create(
        unit=units["donghuamen"], purpose=TemplatePurpose.CONTACT, title="电话联系，约上门", text=TEXT
    )

    page = page_factory()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("[name=username]", "donghuamen_handler")
    page.fill("[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/desk/"))
    page.goto(f"{live_server.url}/desk/orders/{complaint.tracking_number}/")

    form = "form[action$='/contact/']"
    page.select_option(f"{form} select[name=template]", str(chosen.pk))
    assert page.input_value(f"{form} [name=note]") == TEXT
    page.fill(f"{form} [name=note]", TEXT + "下午三点到。")
    page.click(f"{form} button[type=submit]")
    page.wait_for_load_state()

    assert complaint.events.filter(kind=EventKind.NOTE, message=TEXT + "下午三点到。").exists()
