"""POST Service Request: form-encoded exactly as the spec shows it."""

from decimal import Decimal

import pytest

from complaints.models import Channel, Complaint, Open311Submission
from tests.complaints.open311 import spec_examples as spec
from tests.complaints.open311.conftest import complaints_count
from tests.complaints.open311.shapes import assert_same_json, assert_same_xml


def test_a_post_in_xml_answers_like_the_spec_example_and_files_the_complaint(
    open311, client_key, filing, units, django_capture_on_commit_callbacks
):
    key_row, key = client_key
    filing["attribute[noise_kind]"] = ["drilling", "trucks"]

    with django_capture_on_commit_callbacks(execute=True):
        answer = open311.post("requests.xml", {"api_key": key, **filing})

    assert answer.status == 200, answer.body
    assert_same_xml(answer.body, spec.POST_XML)
    request = answer.xml().find("request")
    complaint = Complaint.objects.get(tracking_number=request.findtext("service_request_id"))
    assert request.find("account_id").text is None  # never echoed
    assert complaint.tracking_number in request.findtext("service_notice")
    assert complaint.channel == Channel.API
    assert complaint.region.code == "110101001001"
    assert not complaint.place_to_confirm
    assert complaint.resident_name == "张三"
    assert complaint.resident_phone == "13800138000"
    assert complaint.resident_email == "zhangsan@example.com"
    assert complaint.address == "东华门大街 1 号"
    assert complaint.answers == {"noise_time": "night", "noise_kind": ["drilling", "trucks"]}
    submission = complaint.open311
    assert (submission.client, submission.device_id, submission.account_id) == (key_row, "tt222111", "acct-123456")
    assert answer.headers["Open311-Token"] == str(submission.token)
    # Routed after commit by the noise rule (tasks run eagerly in tests).
    assert complaint.assignments.get().unit == units["donghuamen"]


def test_a_post_in_json_answers_like_the_spec_example(open311, client_key, filing):
    answer = open311.post("requests.json", {"api_key": client_key[1], **filing})

    assert answer.status == 200, answer.body
    assert_same_json(answer.json(), spec.POST_JSON)
    (row,) = answer.json()
    assert row["account_id"] is None
    assert Complaint.objects.filter(tracking_number=row["service_request_id"]).exists()


def test_the_api_key_may_come_in_the_query_string(open311, client_key, filing):
    answer = open311.post("requests.xml", filing, query=f"api_key={client_key[1]}")

    assert answer.status == 200, answer.body


def test_the_spec_examples_own_multi_value_form_is_read(open311, client_key, filing):
    body = "&".join(
        [
            f"api_key={client_key[1]}",
            "service_code=noise.construction",
            "address_id=110101001001",
            "description=%E5%99%AA%E5%A3%B0",
            "phone=13800138000",
            "attribute[noise_time]=night",
            "attribute[noise_kind][]=drilling",
            "attribute[noise_kind][]=music",
        ]
    )

    answer = open311.post("requests.json", body)

    assert answer.status == 200, answer.body
    complaint = Complaint.objects.get(tracking_number=answer.json()[0]["service_request_id"])
    assert complaint.answers == {"noise_time": "night", "noise_kind": ["drilling", "music"]}
    assert complaint.description == "噪声"


def test_western_names_keep_their_order(open311, client_key, filing):
    filing.update(first_name="John", last_name="Smith")

    answer = open311.post("requests.json", {"api_key": client_key[1], **filing})

    assert Complaint.objects.get(tracking_number=answer.json()[0]["service_request_id"]).resident_name == "John Smith"


def test_a_district_code_files_to_the_district_for_the_centre_to_confirm(open311, client_key, filing, beijing):
    filing["address_id"] = beijing["dongcheng"].code

    answer = open311.post("requests.json", {"api_key": client_key[1], **filing})

    assert answer.status == 200, answer.body
    complaint = Complaint.objects.get(tracking_number=answer.json()[0]["service_request_id"])
    assert (complaint.region, complaint.place_to_confirm) == (beijing["dongcheng"], True)


def test_a_point_in_a_named_community_files_there(open311, client_key, filing, beijing, district_outlines):
    del filing["address_id"]
    filing.update(lat="39.9175", long="116.4037", address_string="东华门街道多福巷社区 东华门大街1号")

    answer = open311.post("requests.json", {"api_key": client_key[1], **filing})

    assert answer.status == 200, answer.body
    complaint = Complaint.objects.get(tracking_number=answer.json()[0]["service_request_id"])
    assert (complaint.region, complaint.place_to_confirm) == (beijing["duofuxiang"], False)
    assert (complaint.latitude, complaint.longitude) == (Decimal("39.917500"), Decimal("116.403700"))


def test_a_point_alone_gives_its_district_to_confirm(open311, client_key, filing, beijing, district_outlines):
    del filing["address_id"]
    del filing["address_string"]
    filing.update(lat="39.9175", long="116.4037")

    answer = open311.post("requests.json", {"api_key": client_key[1], **filing})

    assert answer.status == 200, answer.body
    complaint = Complaint.objects.get(tracking_number=answer.json()[0]["service_request_id"])
    assert (complaint.region, complaint.place_to_confirm) == (beijing["dongcheng"], True)


def test_an_address_naming_the_street_files_there(open311, client_key, filing, beijing):
    del filing["address_id"]
    filing["address_string"] = "东城区景山街道 景山前街4号"

    answer = open311.post("requests.json", {"api_key": client_key[1], **filing})

    assert answer.status == 200, answer.body
    complaint = Complaint.objects.get(tracking_number=answer.json()[0]["service_request_id"])
    assert (complaint.region, complaint.place_to_confirm) == (beijing["jingshan"], False)


def test_a_retried_post_files_a_second_request(open311, client_key, filing):
    first = open311.post("requests.json", {"api_key": client_key[1], **filing})
    second = open311.post("requests.json", {"api_key": client_key[1], **filing})

    assert first.status == second.status == 200
    assert first.json()[0]["service_request_id"] != second.json()[0]["service_request_id"]
    assert Open311Submission.objects.count() == 2


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_the_token_gives_the_request_id_like_the_spec_example(open311, client_key, filing, fmt):
    posted = open311.post("requests.json", {"api_key": client_key[1], **filing})
    token = posted.headers["Open311-Token"]

    answer = open311.get(f"tokens/{token}.{fmt}")

    assert answer.status == 200
    if fmt == "xml":
        assert_same_xml(answer.body, spec.TOKEN_XML)
        request = answer.xml().find("request")
        assert (request.findtext("service_request_id"), request.findtext("token")) == (
            posted.json()[0]["service_request_id"],
            token,
        )
    else:
        assert_same_json(answer.json(), spec.TOKEN_JSON)
        assert answer.json() == [{"service_request_id": posted.json()[0]["service_request_id"], "token": token}]


@pytest.mark.parametrize("token", ["00000000-0000-0000-0000-000000000000", "12345", "not-a-token"])
def test_an_unknown_token_is_a_404(open311, db, token):
    answer = open311.get(f"tokens/{token}.xml")

    assert answer.status == 404
    assert answer.errors("xml")[0][0] == 404


def test_nothing_of_the_resident_is_in_any_answer(open311, client_key, filing):
    posted = open311.post("requests.xml", {"api_key": client_key[1], **filing})
    number = posted.xml().findtext("request/service_request_id")
    token = posted.headers["Open311-Token"]

    answers = [posted.body]
    for path in (f"requests/{number}", "requests", f"tokens/{token}"):
        for fmt in ("xml", "json"):
            answers.append(open311.get(f"{path}.{fmt}").body)
            answers.append(open311.get(f"{path}.{fmt}", api_key=client_key[1]).body)
    for body in answers:
        text = body.decode("utf-8")
        for secret in ("张三", "13800138000", "zhangsan", "acct-123456", "tt222111"):
            assert secret not in text, (secret, text)
    assert complaints_count() == 1
