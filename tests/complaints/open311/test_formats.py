"""Discovery, and what every answer is made of: the format from the suffix only,
UTF-8 with the spec's Content-Type headers, XML a strict parser accepts."""

import json
from xml.dom import minidom

import pytest
from defusedxml import ElementTree
from django.test import Client

from tests.complaints.open311 import spec_examples as spec
from tests.complaints.open311.shapes import assert_same_json, assert_same_xml


def test_discovery_in_xml_has_the_spec_examples_elements(open311, db, settings):
    settings.DEBUG = True  # as under make run: a demo, not acted upon

    answer = open311.get("discovery.xml")

    assert answer.status == 200
    assert_same_xml(answer.body, spec.DISCOVERY_XML)
    endpoint = answer.xml().find("endpoints/endpoint")
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint.findtext("url") == "http://testserver/open311/v2"
    assert [f.text for f in endpoint.find("formats")] == ["text/xml", "application/json"]
    assert endpoint.findtext("type") == "test"


def test_discovery_in_json_has_the_spec_examples_keys(open311, db, settings):
    settings.DEBUG = False

    answer = open311.get("discovery.json")

    assert_same_json(answer.json(), spec.DISCOVERY_JSON)
    assert answer.json()["endpoints"][0]["type"] == "production"
    assert answer.json()["endpoints"][0]["formats"] == ["text/xml", "application/json"]


@pytest.mark.parametrize("path", ["discovery", "services", "requests"])
def test_the_suffix_alone_chooses_the_format(open311, categories, path):
    as_xml = open311.get(f"{path}.xml", headers={"Accept": "application/json"}, format="json")
    as_json = open311.get(f"{path}.json", headers={"Accept": "text/xml"}, format="xml")

    assert as_xml.content_type == "text/xml; charset=utf-8"
    assert as_json.content_type == "application/json; charset=utf-8"
    as_xml.xml()
    as_json.json()


def test_xml_answers_are_well_formed_for_any_strict_parser(open311, categories):
    body = open311.get("services.xml").body

    assert body.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n')
    minidom.parseString(body)  # expat: refuses anything not well-formed
    root = ElementTree.fromstring(body)
    assert root.tag == "services" and not root.attrib
    assert all(not element.attrib and "}" not in element.tag for element in root.iter())  # no namespaces
    assert "施工噪声" in body.decode("utf-8")  # UTF-8, not character references


def test_json_answers_are_plain_utf8(open311, categories):
    body = open311.get("services.json").body

    assert "施工噪声".encode() in body
    assert isinstance(json.loads(body), list)


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_errors_have_the_spec_examples_shape(open311, db, fmt, filing):
    answer = open311.post(f"requests.{fmt}", filing)

    assert answer.status == 403
    if fmt == "xml":
        assert_same_xml(answer.body, spec.ERRORS_XML)
    else:
        assert_same_json(answer.json(), spec.ERRORS_JSON)
        assert isinstance(answer.json()[0]["code"], int)


def test_error_descriptions_follow_the_readers_language(open311, db):
    from tests.complaints.open311.conftest import BASE

    chinese = open311._answer(Client().put(BASE + "requests.json")).errors("json")[0][1]
    english = open311._answer(open311.http.put(BASE + "requests.json?locale=en")).errors("json")[0][1]
    by_header = open311._answer(open311.http.put(BASE + "requests.json", headers={"Accept-Language": "en"}))

    assert english == by_header.errors("json")[0][1] == 'Method "PUT" not allowed.'
    assert "PUT" in chinese and chinese != english


def test_open311_is_not_in_the_openapi_schema(client, db):
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    assert not [path for path in json.loads(response.content)["paths"] if "open311" in path]
