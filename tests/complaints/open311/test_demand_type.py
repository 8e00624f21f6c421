"""The demand type over Open311: every service definition declares the optional
`demand_type` singlevaluelist attribute; a POST may send `attribute[demand_type]`
(a complaint when left out); a bad value is a 400 error body with nothing filed."""

import pytest

from complaints.models import Channel, Complaint, DemandType
from tests.complaints.open311.conftest import complaints_count


@pytest.mark.parametrize("service", ["noise.construction", "utilities.water", "market.food"])
def test_every_service_definition_ends_with_the_optional_demand_type(open311, categories, questions, service):
    attributes = open311.get(f"services/{service}.json").json()["attributes"]

    demand = attributes[-1]
    assert demand["code"] == "demand_type"
    assert (demand["variable"], demand["datatype"], demand["required"]) == (True, "singlevaluelist", False)
    assert demand["order"] == len(attributes)
    assert [value["key"] for value in demand["values"]] == DemandType.values
    assert demand["values"][0] == {"key": "consultation", "name": "Consultation"}


def test_the_xml_definition_lists_the_demand_types(open311, categories, questions):
    root = open311.get("services/market.food.xml").xml()

    (attribute,) = root.find("attributes").findall("attribute")
    assert attribute.findtext("code") == "demand_type"
    assert attribute.findtext("required") == "false"
    assert [v.findtext("key") for v in attribute.find("values")] == DemandType.values


def test_the_definition_names_the_types_in_chinese(open311_zh, categories, questions):
    demand = open311_zh.get("services/market.food.json").json()["attributes"][-1]

    assert [value["name"] for value in demand["values"]] == ["咨询", "求助", "投诉", "举报", "建议", "表扬"]


@pytest.mark.parametrize("kind", DemandType.values)
def test_a_post_with_a_type_files_it_on_the_api_channel(open311, client_key, filing, kind):
    answer = open311.post("requests.json", {"api_key": client_key[1], **filing, "attribute[demand_type]": kind})

    assert answer.status == 200, answer.body
    complaint = Complaint.objects.get(tracking_number=answer.json()[0]["service_request_id"])
    assert (complaint.demand_type, complaint.channel) == (kind, Channel.API)
    # The type is the portal's field, not an answer to the service's questions.
    assert "demand_type" not in complaint.answers


def test_a_post_without_a_type_files_a_complaint(open311, client_key, filing):
    answer = open311.post("requests.json", {"api_key": client_key[1], **filing})

    assert answer.status == 200, answer.body
    assert Complaint.objects.get().demand_type == DemandType.COMPLAINT


def test_an_empty_type_is_the_same_as_none(open311, client_key, filing):
    answer = open311.post("requests.json", {"api_key": client_key[1], **filing, "attribute[demand_type]": ""})

    assert answer.status == 200, answer.body
    assert Complaint.objects.get().demand_type == DemandType.COMPLAINT


@pytest.mark.parametrize("bad", ["nonsense", "Praise", ["help", "praise"]])
@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_a_bad_type_is_a_400_error_body_and_files_nothing(open311, client_key, filing, bad, fmt):
    answer = open311.post(f"requests.{fmt}", {"api_key": client_key[1], **filing, "attribute[demand_type]": bad})

    assert answer.status == 400, answer.body
    errors = answer.errors(fmt)
    assert [status for status, _ in errors] == [400]
    assert "attribute[demand_type]" in errors[0][1]
    assert "consultation" in errors[0][1]
    assert complaints_count() == 0


def test_a_bad_type_is_named_with_the_other_mistakes(open311, client_key, filing):
    body = {"api_key": client_key[1], **filing, "attribute[demand_type]": "nonsense", "lat": "x", "long": "y"}

    answer = open311.post("requests.json", body)

    assert answer.status == 400
    descriptions = [description for _, description in answer.errors("json")]
    assert any("attribute[demand_type]" in d for d in descriptions)
    assert any(d.startswith("lat:") for d in descriptions)
    assert complaints_count() == 0


def test_the_array_form_of_the_attribute_is_read_too(open311, client_key, filing):
    answer = open311.post("requests.json", {"api_key": client_key[1], **filing, "attribute[demand_type][]": "help"})

    assert answer.status == 200, answer.body
    assert Complaint.objects.get().demand_type == DemandType.HELP
