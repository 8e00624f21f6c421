"""The cheap pieces the desk lists render with give what Django's own would: the
filters' selects written out in Python, the order page's address from a prefix, choice
labels from a dict, the badges without an include, and each row's category and place
from the process's trees."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.forms.renderers import DjangoTemplates
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, set_script_prefix
from django.utils import timezone, translation

from complaints.models import Category, Channel, Complaint, DemandType, Region, RegionLevel
from dispatch.filters import QueueFilter, TriageFilter
from dispatch.models import Assignment, AssignmentStatus, TriageItem
from dispatch.selectors.attached import attach_category_and_place
from dispatch.templatetags.desk import demand_badges, display, order_url, status_badge
from tests.dispatch.trees import trees_built

FILTER_DATA = [
    None,
    {"status": "accepted", "group": "noise", "community": "110101001002", "demand_type": "help", "channel": "web"},
    {"status": "nonsense", "group": "<b>", "community": "1", "demand_type": "x\"'&", "channel": ""},
]


def _fields_both_ways(form):
    """Each field as the list renderer writes it, and as Django's templates do."""
    for field in form:
        ours = str(field)
        form.renderer = DjangoTemplates()
        theirs = str(field)
        form.renderer = form.default_renderer()
        yield field.name, ours, theirs


@pytest.mark.parametrize("data", FILTER_DATA)
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_queue_filters_render_as_djangos_templates_do(units, categories, data, language):
    with translation.override(language):
        filterset = QueueFilter(data, queryset=Assignment.objects.none(), unit=units["donghuamen"])
        filterset.is_valid()
        rendered = list(_fields_both_ways(filterset.form))
    assert [name for name, _ours, _theirs in rendered] == ["status", "group", "community", "demand_type", "channel"]
    for name, ours, theirs in rendered:
        assert ours == theirs, name


@pytest.mark.parametrize("data", FILTER_DATA)
def test_the_triage_filters_render_as_djangos_templates_do(db, data):
    filterset = TriageFilter(data, queryset=TriageItem.objects.none())
    filterset.is_valid()
    for name, ours, theirs in _fields_both_ways(filterset.form):
        assert ours == theirs, name


def test_a_select_with_groups_attributes_and_markup_in_its_labels_renders_as_djangos(db):
    from django import forms

    from dispatch.forms.list_filters import ListFilterForm

    class Form(ListFilterForm):
        place = forms.ChoiceField(
            choices=[("", "Any"), ("东城区", [("a&b", "<i>A</i> & B"), ("c", "C")]), ("d", 'say "D"')],
            widget=forms.Select(attrs={"class": "wide", "data-x": 'q"uote', "disabled": True, "hidden": False}),
        )

    form = Form({"place": "a&b"})
    (name, ours, theirs), *_ = _fields_both_ways(form)
    assert ours == theirs
    assert "<optgroup" in ours and "&lt;i&gt;A&lt;/i&gt; &amp; B" in ours and "selected" in ours


def test_the_filters_choices_come_from_the_trees_without_a_query(units, categories):
    trees_built()
    with CaptureQueriesContext(connection) as captured:
        filterset = QueueFilter(None, queryset=Assignment.objects.none(), unit=units["donghuamen"])
        choices = list(filterset.form.fields["community"].choices)
        groups = list(filterset.form.fields["group"].choices)
    assert choices[1:] == [("110101001001", "多福巷社区"), ("110101001002", "银闸社区")]
    assert [code for code, _name in groups[1:]] == ["market", "noise", "other", "utilities"]  # sort order, then code
    assert len(captured) == 0
    assert "community" not in QueueFilter(None, queryset=Assignment.objects.none(), unit=units["duofuxiang"]).filters


def test_the_group_filter_matches_the_group_and_its_sub_categories(submit, people, units):
    submit(category="noise_construction")
    submit(category="noise_neighbour")
    submit(category="market_food")
    assignments = Assignment.objects.filter(unit=units["donghuamen"])
    filterset = QueueFilter({"group": "noise"}, queryset=assignments, unit=units["donghuamen"])
    assert sorted(a.complaint.category.code for a in filterset.qs) == ["noise.construction", "noise.neighbour"]
    refused = QueueFilter({"group": "no-such-group"}, queryset=assignments, unit=units["donghuamen"])
    assert not refused.is_valid() and "group" in refused.errors


@pytest.mark.parametrize("tracking_number", ["WH20260302-0001", "A B", "x%y", "号码"])
def test_order_url_is_the_reversed_order_page(db, tracking_number):
    assert order_url(tracking_number) == reverse("dispatch:order", args=[tracking_number])


def test_order_url_follows_the_script_prefix(db):
    set_script_prefix("/portal/")
    try:
        assert order_url("WH1") == reverse("dispatch:order", args=["WH1"]) == "/portal/desk/orders/WH1/"
    finally:
        set_script_prefix("/")
    assert order_url("WH1") == "/desk/orders/WH1/"


@pytest.mark.parametrize("tracking_number", ["WH20260302-0001", "A B", "x%y", "号码"])
def test_order_url_names_the_orders_other_addresses_too(db, tracking_number):
    assert order_url(tracking_number, "dispatch_to") == reverse("dispatch:dispatch_to", args=[tracking_number])


MOMENTS = [
    datetime(2026, 3, 2, 16, 5, 59, tzinfo=UTC),  # 00:05 the next day in Beijing
    datetime(999, 1, 2, 3, 4, tzinfo=UTC),
    datetime(2026, 12, 31, 23, 59),  # naive: shown as it is
    None,
    "",
]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("zone", ["Asia/Shanghai", "UTC", "America/St_Johns"])
def test_minute_is_the_date_filters_minute(language, zone):
    ours = Template("{% load desk %}{% for m in moments %}[{{ m|minute }}]{% endfor %}")
    theirs = Template('{% for m in moments %}[{{ m|date:"Y-m-d H:i" }}]{% endfor %}')
    with translation.override(language), timezone.override(zone):
        context = Context({"moments": MOMENTS})
        assert ours.render(context) == theirs.render(context)
        assert "[2026-03-03 00:05]" in ours.render(context) or zone != "Asia/Shanghai"


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_display_gives_what_get_display_gives(language):
    with translation.override(language):
        for status in [*AssignmentStatus.values, "no-such-status"]:
            assignment = Assignment(status=status)
            assert display(assignment, "status") == assignment.get_status_display()
        for demand_type in DemandType.values:
            for channel in Channel.values:
                complaint = Complaint(demand_type=demand_type, channel=channel)
                assert display(complaint, "demand_type") == complaint.get_demand_type_display()
                assert display(complaint, "channel") == complaint.get_channel_display()


def test_the_badges_are_the_templates_badges():
    complaint = Complaint(demand_type=DemandType.HELP, channel=Channel.HOTLINE)
    assert demand_badges(complaint) == render_to_string("dispatch/_demand_type.html", {"complaint": complaint}).strip()
    assignment = Assignment(status=AssignmentStatus.IN_PROGRESS)
    label = assignment.get_status_display()
    assert (
        status_badge(assignment.status, label)
        == render_to_string("dispatch/_status.html", {"status": assignment.status, "label": label}).strip()
    )


def test_rows_get_their_category_and_place_from_the_trees_without_a_query(submit):
    complaint = Complaint.objects.get(pk=submit(category="noise_construction", region="yinzha").pk)
    trees_built()
    with CaptureQueriesContext(connection) as captured:
        attach_category_and_place([complaint])
        path = [complaint.region.name, complaint.region.parent.name, complaint.region.parent.parent.name]
        group = complaint.category.parent.name
    assert len(captured) == 0
    assert path == ["银闸社区", "东华门街道", "东城区"]
    assert group == "噪声扰民"


def test_a_category_or_place_the_trees_do_not_hold_yet_is_read_from_the_database(submit, beijing, categories):
    complaint = Complaint.objects.get(pk=submit().pk)
    trees_built()
    # Written without signals, as another process's write looks until its copy is checked again.
    (category,) = Category.objects.bulk_create(
        [Category(code="noise.night", name="夜间噪声", parent=categories["noise"])]
    )
    (region,) = Region.objects.bulk_create(
        [Region(code="110101001003", name="新社区", level=RegionLevel.COMMUNITY, parent=beijing["donghuamen"])]
    )
    Complaint.objects.filter(pk=complaint.pk).update(category=category, region=region)
    complaint.refresh_from_db()
    with CaptureQueriesContext(connection) as captured:
        attach_category_and_place([complaint])
    assert len(captured) == 2
    assert (complaint.category.name, complaint.category.parent.name) == ("夜间噪声", "噪声扰民")
    assert (complaint.region.name, complaint.region.parent.name) == ("新社区", "东华门街道")
