"""Independently written clients against a live server.

`georeport` 0.3.1 (PyPI) reads services, definitions and requests in JSON and
in XML. It cannot file a request: it has no POST method at all (its README:
"does not currently support the creation of new 311 service requests"), so
the filing is done the way an old XML-only client does it, with a plain
form-encoded POST, api_key in the query string, `attribute[...]` arrays and
first/last name, and read back by georeport. Its one known gap against any
spec-conforming server: in XML mode an empty `<service_requests/>` list makes
`get_service_requests` fail (xmltodict gives None); the test does not ask for one.
"""

import urllib.parse
import urllib.request
from datetime import datetime
from xml.dom import minidom

import pytest
from georeport import GeoReport

from complaints.models import Complaint


@pytest.fixture
def live(live_server, transactional_db, beijing, categories, units, rules, questions, client_key):
    return f"{live_server.url}/open311/v2", client_key[1]


def old_client_post(root: str, key: str) -> minidom.Document:
    """What an XML-only client of the 2010s does: urllib, a form, minidom."""
    fields = [
        ("service_code", "noise.construction"),
        ("address_string", "东城区东华门街道多福巷社区 东华门大街1号"),
        ("address_id", "110101001001"),
        ("first_name", "三"),
        ("last_name", "张"),
        ("phone", "13800138000"),
        ("description", "凌晨两点还在施工，噪声很大"),
        ("attribute[noise_time]", "night"),
        ("attribute[noise_kind][]", "drilling"),
        ("attribute[noise_kind][]", "trucks"),
    ]
    request = urllib.request.Request(  # noqa: S310 - our own live server
        f"{root}/requests.xml?api_key={urllib.parse.quote(key)}",
        data=urllib.parse.urlencode(fields).encode("ascii"),
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
        return minidom.parseString(response.read())


def strict_w3c(text: str) -> datetime:
    """A strict reader: exactly YYYY-MM-DDThh:mm:ss±hh:mm, as old clients parse it."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S%z")


def text_of(node, name: str) -> str:
    (element,) = node.getElementsByTagName(name)
    return "".join(child.data for child in element.childNodes)


def test_georeport_in_json_lists_services_and_follows_a_request_filed_by_an_old_client(live):
    root, key = live
    client = GeoReport(root, output_format="json")

    services = client.get_service_list()
    definition = client.get_service_definition("noise.construction")
    filed = old_client_post(root, key)
    number = text_of(filed, "service_request_id")
    request = client.get_service_request(number)
    listed = client.get_service_requests(service_request_id=number)

    assert {"service_code": "noise.construction", "metadata": True}.items() <= next(
        s for s in services if s["service_code"] == "noise.construction"
    ).items()
    assert [a["code"] for a in definition["attributes"]] == ["noise_time", "noise_kind", "demand_type"]
    complaint = Complaint.objects.get(tracking_number=number)
    assert complaint.answers == {"noise_time": "night", "noise_kind": ["drilling", "trucks"]}
    assert complaint.resident_name == "张三"
    assert request["service_request_id"] == number
    assert request["status"] == "open"
    assert request["agency_responsible"] == "东华门街道办事处"
    assert [r["service_request_id"] for r in listed] == [number]
    for name in ("requested_datetime", "updated_datetime", "expected_datetime"):
        strict_w3c(request[name])


def test_georeport_in_xml_reads_the_same(live, settings):
    settings.WHISTLE_OPEN311_JURISDICTION = "beijing.gov.cn"
    root, key = live
    client = GeoReport(root, jurisdiction="beijing.gov.cn", output_format="xml")

    services = client.get_service_list()
    definition = client.get_service_definition("noise.construction")
    number = text_of(old_client_post(root, key), "service_request_id")
    request = client.get_service_request(number)
    listed = client.get_service_requests(service_code="noise.construction", status="open")

    assert "noise.construction" in [s["service_code"] for s in services]
    first = definition["attributes"]["attribute"][0]
    assert (first["code"], first["datatype"], first["required"]) == ("noise_time", "singlevaluelist", "true")
    assert [v["key"] for v in first["values"]["value"]] == ["night", "daytime"]
    assert (request["service_request_id"], request["status"]) == (number, "open")
    strict_w3c(request["requested_datetime"])
    assert listed["service_request_id"] == number  # one request: xmltodict gives the element itself


def test_an_old_client_reads_the_xml_error_of_a_bad_key(live):
    root, _key = live

    with pytest.raises(urllib.error.HTTPError) as refused:
        old_client_post(root, "not-a-key")

    assert refused.value.code == 403
    error = minidom.parseString(refused.value.read())
    assert text_of(error, "code") == "403"
    assert Complaint.objects.count() == 0
