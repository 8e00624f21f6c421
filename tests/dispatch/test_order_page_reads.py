"""What the order page reads, and what it no longer reads twice: the order's
assignments are read once and give the page its returns, its summoned units and
the names of its units on the timeline;
photos, followers and requests for more time are read only for an order that has
them; the category and place come from the process's trees; a reply-template
picker reads its templates once."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dispatch.models import ReplyTemplate, TemplatePurpose
from dispatch.services.assignments import assignment_accept
from dispatch.services.extensions import extension_request
from dispatch.services.returns import assignment_return
from dispatch.services.triage import triage_dispatch
from dispatch.services.whistle import whistle_blow


def reads(client, complaint) -> tuple[str, list[str]]:
    """The page's HTML and the SQL of its queries, after a first request has warmed
    the session and the process's trees."""
    url = reverse("dispatch:order", args=[complaint.tracking_number])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in captured.captured_queries]


def rows_of(table: str, queries: list[str]) -> list[str]:
    """The queries that read rows of `table` itself (not a subquery that mentions it)."""
    return [sql for sql in queries if sql.startswith(f'SELECT "{table}".')]


def test_an_order_without_photos_followers_or_extensions_reads_none_of_them(submit, people, as_user):
    complaint = submit()
    _html, queries = reads(as_user(people["donghuamen_handler"]), complaint)

    assert rows_of("complaints_photo", queries) == []
    assert rows_of("dispatch_extension", queries) == []
    assert rows_of("complaints_category", queries) == [] and rows_of("complaints_region", queries) == []
    assert len(rows_of("complaints_complaint", queries)) == 2  # the order, and its possible duplicates
    assert len(rows_of("dispatch_assignment", queries)) == 1  # its assignments, read once
    assert not any("complaints_category" in sql or "complaints_region" in sql for sql in queries[:3])
    # The timeline names the order's own units from its assignments.
    assert not any('"dispatch_unit"."name" AS "name"' in sql for sql in queries)


def test_returns_summons_and_extensions_show_from_one_read_of_the_assignments(submit, people, units, as_user):
    complaint = submit()
    handler, dispatcher = people["donghuamen_handler"], people["dispatcher"]
    first = complaint.assignments.get()
    assignment_return(user=handler, assignment_id=first.pk, reason="not_our_remit", note="不归我们管")
    lead = triage_dispatch(user=dispatcher, complaint_id=complaint.pk, unit_id=units["donghuamen"].pk)
    assignment_accept(user=handler, assignment_id=lead.pk)
    whistle_blow(
        user=handler, assignment_id=lead.pk, unit_ids=[units["dc_market"].pk], message="请到现场", version=None
    )
    extension_request(
        user=handler, assignment_id=lead.pk, requested_due=timezone.now() + timedelta(days=20), reason="等待业主大会"
    )

    html, queries = reads(as_user(handler), complaint)

    assert "不归我们管" in html  # the return, from the order's own assignments
    assert units["dc_market"].name in html.split('id="whistle"')[1]  # the summoned unit, likewise
    assert "等待业主大会" in html  # the request for more time, read because there is one
    assert len(rows_of("dispatch_assignment", queries)) == 1
    assert len(rows_of("dispatch_extension", queries)) == 1


def test_the_category_and_place_on_the_page_are_the_orders_own(submit, people, as_user, beijing, categories):
    complaint = submit(category="noise_construction", region="duofuxiang")
    html, _queries = reads(as_user(people["donghuamen_handler"]), complaint)
    assert f"<dd>{categories['noise_construction']}</dd>" in html
    place = html.split("<dt>Place</dt><dd>")[1].split("</dd>")[0]
    assert place.endswith(beijing["duofuxiang"].name) and beijing["donghuamen"].name in place


def test_a_reply_template_picker_reads_its_templates_once(submit, people, as_user):
    complaint = submit()
    ReplyTemplate.objects.create(
        unit=None, category=None, purpose=TemplatePurpose.RETURN, title="不属本单位", text="经核实不属于本单位职责。"
    )
    html, queries = reads(as_user(people["donghuamen_handler"]), complaint)
    assert 'data-text="经核实不属于本单位职责。"' in html and "不属本单位" in html
    assert len(rows_of("dispatch_replytemplate", queries)) == 1
    assert not any("dispatch_replytemplate" in sql and sql.startswith("SELECT 1") for sql in queries)
