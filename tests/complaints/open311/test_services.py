"""GET Service List and GET Service Definition."""

import pytest

from complaints.models import CategoryQuestion, QuestionType
from tests.complaints.open311 import spec_examples as spec
from tests.complaints.open311.shapes import assert_same_json, assert_same_xml


def test_the_service_list_in_xml_has_the_spec_examples_elements(open311, categories, questions):
    answer = open311.get("services.xml")

    assert answer.status == 200
    assert_same_xml(answer.body, spec.SERVICES_XML)
    services = {s.findtext("service_code"): s for s in answer.xml()}
    construction = services["noise.construction"]
    assert construction.findtext("service_name") == "施工噪声"
    assert construction.findtext("group") == "噪声扰民"
    assert construction.findtext("metadata") == "true"
    assert construction.findtext("type") == "realtime"
    # Every service asks at least the optional demand type.
    assert services["market.food"].findtext("metadata") == "true"


def test_the_service_list_in_json_has_the_spec_examples_keys(open311, categories, questions):
    answer = open311.get("services.json")

    assert answer.status == 200
    assert_same_json(answer.json(), spec.SERVICES_JSON)
    services = {s["service_code"]: s for s in answer.json()}
    assert services["utilities.water"]["metadata"] is True
    assert services["market.food"]["metadata"] is True


def test_services_are_the_active_sub_categories_of_active_groups(open311, categories):
    categories["noise_neighbour"].is_active = False
    categories["noise_neighbour"].save(update_fields=["is_active"])
    categories["market"].is_active = False
    categories["market"].save(update_fields=["is_active"])

    codes = [s["service_code"] for s in open311.get("services.json").json()]

    assert "noise.construction" in codes
    assert "noise.neighbour" not in codes
    assert "market.food" not in codes
    assert "noise" not in codes and "other" not in codes


def test_a_group_question_makes_every_sub_category_ask_for_metadata(open311, categories, questions):
    services = {s["service_code"]: s for s in open311.get("services.json").json()}

    assert services["noise.neighbour"]["metadata"] is True  # asked by the 噪声扰民 group


def test_an_inactive_question_asks_for_nothing(open311, categories, questions):
    CategoryQuestion.objects.filter(category=categories["water_outage"]).update(is_active=False)

    attributes = open311.get("services/utilities.water.json").json()["attributes"]

    assert [a["code"] for a in attributes] == ["demand_type"]


def test_names_are_in_english_when_the_client_asks(open311, categories):
    categories["noise_construction"].name_en = "Construction noise"
    categories["noise_construction"].save(update_fields=["name_en"])
    categories["noise"].name_en = "Noise"
    categories["noise"].save(update_fields=["name_en"])

    by_header = open311.get("services.json", headers={"Accept-Language": "en"}).json()
    by_param = open311.get("services.json", locale="en").json()
    default = open311.get("services.json", headers={"Accept-Language": "zh-CN"}).json()

    for services in (by_header, by_param):
        construction = next(s for s in services if s["service_code"] == "noise.construction")
        assert (construction["service_name"], construction["group"]) == ("Construction noise", "Noise")
    construction = next(s for s in default if s["service_code"] == "noise.construction")
    assert construction["service_name"] == "施工噪声"
    assert construction["keywords"] == "施工噪声, Construction noise, 噪声扰民, Noise"


def test_the_service_list_costs_one_query_however_many_services(open311, categories, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert open311.get("services.xml").status == 200


def test_a_service_definition_in_xml_has_the_spec_examples_elements(open311_zh, categories, questions):
    answer = open311_zh.get("services/noise.construction.xml")

    assert answer.status == 200
    assert_same_xml(answer.body, spec.DEFINITION_XML)
    root = answer.xml()
    assert root.findtext("service_code") == "noise.construction"
    attributes = root.find("attributes").findall("attribute")
    # The group's question first, then the sub-category's, then the demand type, numbered from 1.
    assert [(a.findtext("code"), a.findtext("order")) for a in attributes] == [
        ("noise_time", "1"),
        ("noise_kind", "2"),
        ("demand_type", "3"),
    ]
    first = attributes[0]
    assert first.findtext("variable") == "true"
    assert first.findtext("datatype") == "singlevaluelist"
    assert first.findtext("required") == "true"
    assert first.findtext("datatype_description") == "夜间施工须持有许可"
    assert first.findtext("description") == "噪声一般在什么时候出现？"
    assert [(v.findtext("key"), v.findtext("name")) for v in first.find("values")] == [
        ("night", "夜间"),
        ("daytime", "白天"),
    ]
    assert attributes[1].findtext("datatype") == "multivaluelist"
    assert attributes[1].findtext("required") == "false"


def test_a_service_definition_in_json_has_the_spec_examples_keys(open311, categories, questions):
    answer = open311.get("services/noise.construction.json", locale="en")

    assert answer.status == 200
    assert_same_json(answer.json(), spec.DEFINITION_JSON)
    first = answer.json()["attributes"][0]
    assert first["description"] == "When does the noise happen?"
    assert first["values"] == [{"key": "night", "name": "At night"}, {"key": "daytime", "name": "In the daytime"}]


def test_an_attribute_that_is_not_a_list_has_no_values(open311, categories, questions):
    attributes = open311.get("services/utilities.water.json").json()["attributes"]

    assert [(a["code"], a["datatype"], a["required"]) for a in attributes] == [
        ("outage_since", "datetime", True),
        ("account_number", "string", False),
        ("demand_type", "singlevaluelist", False),
    ]
    assert all("values" not in a for a in attributes[:2])
    assert attributes[1]["datatype_description"] is None


def test_a_line_that_only_informs_is_not_variable_and_not_required(open311, categories):
    CategoryQuestion.objects.create(
        category=categories["market_food"],
        code="keep_receipt",
        prompt="请保留购物小票",
        datatype=QuestionType.STRING,
        variable=False,
    )

    attribute, _demand_type = open311.get("services/market.food.json").json()["attributes"]

    assert (attribute["variable"], attribute["required"]) == (False, False)


def test_a_service_without_questions_asks_only_the_demand_type(open311, categories):
    answer = open311.get("services/market.food.xml")

    assert answer.status == 200
    assert [a.findtext("code") for a in answer.xml().find("attributes")] == ["demand_type"]
    definition = open311.get("services/market.food.json").json()
    assert definition["service_code"] == "market.food"
    assert [a["code"] for a in definition["attributes"]] == ["demand_type"]


@pytest.mark.parametrize("code", ["no.such", "noise", "other"])
@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_an_unknown_service_code_is_a_404_in_the_specs_error_body(open311, categories, code, fmt):
    answer = open311.get(f"services/{code}.{fmt}")

    assert answer.status == 404
    ((status, description),) = answer.errors(fmt)
    assert status == 404
    assert code in description
