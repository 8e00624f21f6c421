"""The resident's form asks what kind of demand it is (诉求类型): six radios, a
complaint pre-chosen; the choice is stored with the web channel, survives every
redraw, and a bad value is refused next to the field with nothing filed."""

import re

import pytest
from django.urls import reverse

from complaints.models import Channel, Complaint, DemandType

FILE_URL = reverse("complaints:file")
TYPE_ERROR = "Choose what kind of demand this is."


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _radios(html: str) -> dict[str, bool]:
    """value → checked, for the demand_type radios of the page."""
    found = {}
    for tag in re.findall(r'<input[^>]*name="demand_type"[^>]*>', html):
        value = re.search(r'value="([^"]*)"', tag).group(1)
        found[value] = " checked" in tag
    return found


def _file(client, data, capture):
    with capture(execute=True):
        return client.post(FILE_URL, data)


def test_the_form_offers_the_six_types_with_complaint_chosen(client, form_data):
    html = client.get(FILE_URL).content.decode()

    assert _radios(html) == {
        "consultation": False,
        "help": False,
        "complaint": True,
        "report": False,
        "suggestion": False,
        "praise": False,
    }
    # A group of radios with its own legend: one Tab stop, arrows to choose, no script.
    assert "<legend" in html and "What kind of demand is it?" in html
    assert html.index('name="demand_type"') < html.index('name="category"')


@pytest.mark.parametrize("kind", DemandType.values)
def test_the_chosen_type_is_stored_with_the_web_channel(client, form_data, kind, django_capture_on_commit_callbacks):
    response = _file(client, form_data(demand_type=kind), django_capture_on_commit_callbacks)

    assert response.status_code == 303, response.content.decode()[:2000]
    complaint = Complaint.objects.get()
    assert (complaint.demand_type, complaint.channel) == (kind, Channel.WEB)


@pytest.mark.parametrize("bad", ["", "nonsense", "COMPLAINT", "complaint; drop table"])
def test_a_bad_type_is_refused_next_to_the_field_and_nothing_is_filed(
    client, form_data, bad, django_capture_on_commit_callbacks
):
    response = _file(client, form_data(demand_type=bad), django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert Complaint.objects.count() == 0
    form = response.context["form"]
    assert form.errors["demand_type"] == [TYPE_ERROR]
    assert TYPE_ERROR in response.content.decode()


def test_a_form_drawn_before_the_field_existed_files_a_complaint(client, form_data, django_capture_on_commit_callbacks):
    data = form_data()
    data.pop("demand_type", None)

    response = _file(client, data, django_capture_on_commit_callbacks)

    assert response.status_code == 303
    assert Complaint.objects.get().demand_type == DemandType.COMPLAINT


def test_the_no_script_redraw_keeps_the_chosen_type(client, form_data):
    response = client.post(FILE_URL, form_data(demand_type="suggestion", refresh_places="1"))

    assert response.status_code == 200
    assert Complaint.objects.count() == 0
    checked = [value for value, on in _radios(response.content.decode()).items() if on]
    assert checked == ["suggestion"]


def test_a_redraw_with_a_broken_type_falls_back_to_complaint(client, form_data):
    response = client.post(FILE_URL, form_data(demand_type="nonsense", refresh_places="1"))

    checked = [value for value, on in _radios(response.content.decode()).items() if on]
    assert checked == ["complaint"]


def test_a_refused_form_is_redrawn_with_the_chosen_type(client, form_data, django_capture_on_commit_callbacks):
    response = _file(client, form_data(demand_type="praise", description=""), django_capture_on_commit_callbacks)

    assert response.status_code == 200
    checked = [value for value, on in _radios(response.content.decode()).items() if on]
    assert checked == ["praise"]


def test_a_resend_with_a_fresh_token_is_the_first_complaint_with_its_type(
    client, form_data, django_capture_on_commit_callbacks
):
    # Back without JavaScript draws a fresh page (a fresh token); the same content is a resend.
    _file(client, form_data(demand_type="help"), django_capture_on_commit_callbacks)
    again = _file(client, form_data(demand_type="help"), django_capture_on_commit_callbacks)

    complaint = Complaint.objects.get()
    assert again["Location"] == reverse("complaints:filed", args=[complaint.tracking_number])
    assert complaint.demand_type == DemandType.HELP


def test_a_resend_that_changed_the_type_files_the_corrected_demand(
    client, form_data, django_capture_on_commit_callbacks
):
    _file(client, form_data(demand_type="complaint"), django_capture_on_commit_callbacks)
    _file(client, form_data(demand_type="report"), django_capture_on_commit_callbacks)

    assert sorted(Complaint.objects.values_list("demand_type", flat=True)) == ["complaint", "report"]


def test_the_tracking_page_shows_the_chosen_type(client, form_data, django_capture_on_commit_callbacks):
    _file(client, form_data(demand_type="help"), django_capture_on_commit_callbacks)
    complaint = Complaint.objects.get()

    # The browser that filed it may follow it without proving the phone again.
    html = client.get(reverse("complaints:track_detail", args=[complaint.tracking_number])).content.decode()

    assert "<dt>Demand type</dt><dd>Request for help</dd>" in html
