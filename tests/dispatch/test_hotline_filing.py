# ruff: noqa: F811
"""Filing on the hotline desk: the operator files for the caller (channel hotline,
filed by the operator, confidentiality and urgency marked) and the demand is routed
like any other; the page gives the tracking number to read out; a typed place name
is resolved or offered as a list; bad input is refused with a message and nothing saved."""

import pytest

from complaints.models import Channel, Complaint, ComplaintStatus, DemandType, Priority, RegionLevel
from dispatch.models import Assignment

# The shared fixtures are imported by name, so pytest finds them and ruff sees them used.
from tests.dispatch.hotline_setup import (  # noqa: F401
    DESK,
    english,
    filed_url,
    form_data,
    noise_time,
    operator,
    operator_client,
    submit,
)
from tests.factories import RegionFactory


def file(client, django_capture_on_commit_callbacks, data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(DESK, data)


def test_the_operator_files_for_the_caller_and_it_is_routed_like_any_demand(
    operator_client, operator, categories, rules, beijing, units, django_capture_on_commit_callbacks
):
    response = file(
        operator_client,
        django_capture_on_commit_callbacks,
        form_data(categories, caller="138 0013 8000", hide_name="on", urgent="on", demand_type="help"),
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 303
    assert response["Location"] == filed_url(complaint.tracking_number)
    assert complaint.channel == Channel.HOTLINE
    assert complaint.filed_by == operator
    assert complaint.resident_phone == "13800138000"
    assert complaint.resident_name == "张先生"
    assert complaint.hide_name is True
    assert complaint.priority == Priority.URGENT
    assert complaint.demand_type == DemandType.HELP
    assert complaint.region == beijing["duofuxiang"]
    assert complaint.status == ComplaintStatus.ASSIGNED
    assert Assignment.objects.get(complaint=complaint).unit == units["donghuamen"]


def test_the_filed_page_gives_the_tracking_number_to_read_and_a_next_call_link(
    operator_client, categories, rules, beijing, django_capture_on_commit_callbacks
):
    file(operator_client, django_capture_on_commit_callbacks, form_data(categories))
    complaint = Complaint.objects.get()
    page = operator_client.get(filed_url(complaint.tracking_number)).content.decode()
    number = complaint.tracking_number
    assert f"<span>{number[:8]}</span><span>{number[8:12]}</span><span>{number[12:]}</span>" in page
    assert 'href="/desk/hotline/" autofocus' in page
    assert "emergency-filed" not in page
    assert "Linked as a repeat" not in page


def test_an_emergency_word_shows_the_110_119_120_notice(
    operator_client, categories, rules, beijing, django_capture_on_commit_callbacks
):
    file(operator_client, django_capture_on_commit_callbacks, form_data(categories, description="楼道里着火了，有烟"))
    complaint = Complaint.objects.get()
    page = operator_client.get(filed_url(complaint.tracking_number)).content.decode()
    assert complaint.priority == Priority.URGENT
    assert "emergency-filed" in page
    assert 'href="tel:119"' in page


def test_a_second_send_of_the_same_form_gives_the_first_demand(
    operator_client, categories, rules, beijing, django_capture_on_commit_callbacks
):
    data = form_data(categories)
    first = file(operator_client, django_capture_on_commit_callbacks, data)
    second = file(operator_client, django_capture_on_commit_callbacks, data)
    assert Complaint.objects.count() == 1
    assert second.status_code == 303
    assert second["Location"] == first["Location"]


def test_a_place_chosen_from_the_suggestions_is_used_by_its_code(
    operator_client, categories, rules, beijing, django_capture_on_commit_callbacks
):
    data = form_data(categories, place="东城区 › 东华门街道 › 银闸社区", region="110101001002")
    file(operator_client, django_capture_on_commit_callbacks, data)
    assert Complaint.objects.get().region == beijing["yinzha"]


def test_a_typed_name_with_namesakes_is_offered_as_a_list_and_nothing_is_saved(
    operator_client, categories, rules, beijing, django_capture_on_commit_callbacks
):
    RegionFactory(code="110105001001", name="多福巷社区居委会", level=RegionLevel.COMMUNITY, parent=beijing["jianwai"])
    response = file(operator_client, django_capture_on_commit_callbacks, form_data(categories))
    page = response.content.decode()
    assert response.status_code == 200
    assert not Complaint.objects.exists()
    assert "Several places have this name" in page
    assert 'name="region" value="110101001001"' in page
    assert 'name="region" value="110105001001"' in page
    assert "朝阳区 › 建外街道 › 多福巷社区" in page
    # Choosing one of them files it.
    data = form_data(categories, region="110105001001")
    assert file(operator_client, django_capture_on_commit_callbacks, data).status_code == 303
    assert Complaint.objects.get().region.code == "110105001001"


def test_part_of_a_name_offers_the_matching_places(operator_client, categories, beijing):
    page = operator_client.post(DESK, form_data(categories, place="福巷")).content.decode()
    assert not Complaint.objects.exists()
    assert "Choose the place below" in page
    assert 'name="region" value="110101001001"' in page


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"caller": "12345"}, "Enter a valid mainland China phone number"),
        ({"caller": "1" * 500}, "Ensure this value has at most 30 characters"),
        ({"caller": ""}, "Give the caller&#x27;s phone number."),
        ({"place": "", "region": ""}, "Give the street or community the demand is about."),
        ({"place": "上海市黄浦区", "region": ""}, "No street or community of Beijing has this name."),
        ({"region": "310101002"}, "Unknown place: choose a street or community of Beijing"),
        ({"region": "110101"}, "Unknown place: choose a street or community of Beijing"),
        ({"region": "abc"}, "Unknown place"),
        ({"category": "999999999999999999999999"}, "Choose a category from the list."),
        ({"category": "x"}, "Choose a category from the list."),
        ({"demand_type": "rumour"}, "Choose what kind of demand this is."),
        ({"address": ""}, "Give the address or a landmark"),
        ({"description": "  "}, "Write down what the caller asks or reports."),
        ({"submission_token": "not-a-uuid"}, "This form has expired."),
        ({"submission_token": None}, "This form has expired."),
        ({"submission_token": "x" * 5000}, "This form has expired."),
        ({"region": "1" * 5000}, "Unknown place: choose a street or community of Beijing"),
    ],
)
def test_bad_input_gets_a_message_and_nothing_is_saved(
    operator_client, categories, rules, beijing, overrides, field_message
):
    response = operator_client.post(DESK, form_data(categories, **overrides))
    assert response.status_code == 200
    assert field_message in response.content.decode()
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("field", ["place", "region", "caller", "description"])
def test_a_nul_character_is_refused_before_the_desk_and_nothing_is_saved(operator_client, categories, beijing, field):
    # portal.middleware refuses it for every page, with a 400 page saying why.
    response = operator_client.post(DESK, form_data(categories, **{field: "多福\x00巷"}))
    assert response.status_code == 400
    assert not Complaint.objects.exists()


def test_a_place_outside_beijing_is_refused(operator_client, categories, rules, beijing):
    from complaints.models import Region

    city = RegionFactory(code="31", name="上海市", level=RegionLevel.CITY)
    district = RegionFactory(code="310101", name="黄浦区", level=RegionLevel.DISTRICT, parent=city)
    RegionFactory(code="310101002", name="南京东路街道", level=RegionLevel.STREET, parent=district)
    for data in (
        form_data(categories, place="南京东路街道", region=""),
        form_data(categories, place="南京东路街道", region="310101002"),
    ):
        response = operator_client.post(DESK, data)
        assert response.status_code == 200
        assert not Complaint.objects.exists()
    assert Region.objects.filter(code="310101002").exists()


def test_a_consultation_needs_no_address(
    operator_client, categories, rules, beijing, django_capture_on_commit_callbacks
):
    data = form_data(categories, demand_type="consultation", address="")
    assert file(operator_client, django_capture_on_commit_callbacks, data).status_code == 303
    assert Complaint.objects.get().demand_type == DemandType.CONSULTATION


def test_the_caller_number_in_the_url_is_prefilled_and_the_name_gets_the_focus(operator_client, beijing, categories):
    page = operator_client.get(DESK + "?caller=13800138000").content.decode()
    assert 'name="caller" value="13800138000"' in page
    assert 'name="caller_name"' in page and "autofocus" in page.split('name="caller_name"')[1].split(">")[0]


def test_without_a_number_the_number_gets_the_focus(operator_client, beijing, categories):
    page = operator_client.get(DESK).content.decode()
    assert "autofocus" in page.split('name="caller"')[1].split(">")[0]


def test_without_script_enter_in_the_knowledge_box_searches_and_saves_nothing(
    operator_client, categories, rules, beijing, django_capture_on_commit_callbacks
):
    from tests.dispatch.hotline_setup import article

    article()
    # Enter presses Save, the form's first button; the search typed since the page was drawn wins.
    response = file(operator_client, django_capture_on_commit_callbacks, form_data(categories, kq="供暖"))
    page = response.content.decode()
    assert response.status_code == 200
    assert not Complaint.objects.exists()
    assert 'name="answer_with"' in page
    assert 'name="kq_shown" id="id_kq_shown" value="供暖"' in page
    assert 'value="张先生"' in page  # what was typed is kept
    # Once the results for it are shown, Save saves.
    data = form_data(categories, kq="供暖", kq_shown="供暖")
    assert file(operator_client, django_capture_on_commit_callbacks, data).status_code == 303
    assert Complaint.objects.count() == 1


def test_the_place_lookup_button_redraws_with_the_nearby_orders_and_saves_nothing(
    operator_client, categories, rules, beijing, submit
):
    earlier = submit()
    page = operator_client.post(DESK, {**form_data(categories), "place_lookup": "1"}).content.decode()
    assert Complaint.objects.count() == 1
    assert 'name="region" id="id_region" value="110101001001"' in page
    assert "Place: 东城区 › 东华门街道 › 多福巷社区" in page
    assert earlier.tracking_number in page.split('id="nearby-panel"')[1]
