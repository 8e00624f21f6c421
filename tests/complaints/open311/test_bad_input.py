"""Every bad input of the issue's list: the spec's error body, in the format the
URL asked for, with the right status, and nothing written."""

import json

import pytest
from django.test import override_settings
from django.utils import timezone

from complaints.models import Complaint, Open311Submission
from complaints.open311.keys import open311_client_revoke

FORMATS = ["xml", "json"]


@pytest.fixture
def nothing_written(db):
    yield
    assert Complaint.objects.count() == 0
    assert Open311Submission.objects.count() == 0


def refused(answer, fmt: str, status: int, *fragments: str) -> list[str]:
    assert answer.status == status, answer.body
    errors = answer.errors(fmt)
    assert errors and all(code == status for code, _ in errors), errors
    descriptions = [description for _, description in errors]
    for fragment in fragments:
        assert any(fragment in d for d in descriptions), (fragment, descriptions)
    return descriptions


# --- api_key ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_post_without_an_api_key_is_a_403(open311, filing, fmt, nothing_written):
    refused(open311.post(f"requests.{fmt}", filing), fmt, 403, "api_key")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("key", ["wrong", "abcdefgh.wrong-secret", ".", "x" * 300])
def test_a_post_with_a_wrong_api_key_is_a_403(open311, filing, client_key, fmt, key, nothing_written):
    answer = open311.post(f"requests.{fmt}", {"api_key": key, **filing})

    assert answer.status in (403, 400)
    refused(answer, fmt, answer.status)
    if len(key) < 200:
        assert answer.status == 403


def test_a_right_prefix_with_a_wrong_secret_is_a_403(open311, filing, client_key, nothing_written):
    prefix = client_key[1].partition(".")[0]

    refused(open311.post("requests.xml", {"api_key": f"{prefix}.not-the-secret", **filing}), "xml", 403, "api_key")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_revoked_api_key_is_a_403(open311, filing, client_key, fmt, nothing_written):
    assert open311_client_revoke(name="城市随手拍") == 1

    refused(open311.post(f"requests.{fmt}", {"api_key": client_key[1], **filing}), fmt, 403, "revoked")


def test_an_expired_api_key_is_a_403(open311, filing, client_key, nothing_written):
    key_row, key = client_key
    key_row.expiry_date = timezone.now() - timezone.timedelta(days=1)
    key_row.save(update_fields=["expiry_date"])

    refused(open311.post("requests.xml", {"api_key": key, **filing}), "xml", 403, "expired")


def test_a_get_with_a_wrong_api_key_is_a_403_too(open311, categories):
    refused(open311.get("services.json", api_key="wrong.key"), "json", 403)


# --- service_code -------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_post_without_a_service_code_is_a_400(open311, filing, client_key, fmt, nothing_written):
    del filing["service_code"]

    refused(open311.post(f"requests.{fmt}", {"api_key": client_key[1], **filing}), fmt, 400, "service_code")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("code", ["no.such", "noise", "NOISE.CONSTRUCTION"])
def test_a_post_with_an_unknown_service_code_is_a_404(open311, filing, client_key, fmt, code, nothing_written):
    filing["service_code"] = code

    refused(open311.post(f"requests.{fmt}", {"api_key": client_key[1], **filing}), fmt, 404, code)


# --- location -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("lat", "long", "fragment"),
    [
        ("abc", "116.4", "lat"),
        ("39.9", "east", "long"),
        ("NaN", "116.4", "lat"),
        ("39.9", "Infinity", "long"),
        ("1e999", "116.4", "lat"),
        ("91", "116.4", "lat"),
        ("39.9", "-181", "long"),
        ("39.9", "", "lat and long"),
        ("", "116.4", "lat and long"),
        ("39,9", "116,4", "lat"),
    ],
)
def test_coordinates_that_are_not_numbers_are_a_400(
    open311, filing, client_key, district_outlines, fmt, lat, long, fragment, nothing_written
):
    del filing["address_id"]
    filing.update(lat=lat, long=long)

    refused(open311.post(f"requests.{fmt}", {"api_key": client_key[1], **filing}), fmt, 400, fragment)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("lat", "long"), [("31.2304", "121.4737"), ("37.7652", "-122.4212"), ("0", "0")])
def test_a_point_outside_beijing_is_a_400(
    open311, filing, client_key, district_outlines, fmt, lat, long, nothing_written
):
    filing.update(lat=lat, long=long)

    refused(open311.post(f"requests.{fmt}", {"api_key": client_key[1], **filing}), fmt, 400, "outside Beijing")


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_location_at_all_is_a_400(open311, filing, client_key, fmt, nothing_written):
    del filing["address_id"]
    del filing["address_string"]

    refused(open311.post(f"requests.{fmt}", {"api_key": client_key[1], **filing}), fmt, 400, "location")


@pytest.mark.parametrize(("address_id", "fragment"), [("999999", "999999"), ("11", "district"), ("abc", "abc")])
def test_an_address_id_that_is_no_place_of_ours_is_a_400(
    open311, filing, client_key, address_id, fragment, nothing_written
):
    filing["address_id"] = address_id

    refused(open311.post("requests.xml", {"api_key": client_key[1], **filing}), "xml", 400, "address_id", fragment)


def test_an_address_naming_no_place_is_a_400(open311, filing, client_key, nothing_written):
    del filing["address_id"]
    filing["address_string"] = "1234 5th street"

    refused(open311.post("requests.xml", {"api_key": client_key[1], **filing}), "xml", 400, "place could not be found")


# --- the resident and the report ------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_post_without_a_phone_says_the_resident_is_called_back(open311, filing, client_key, fmt, nothing_written):
    del filing["phone"]

    refused(
        open311.post(f"requests.{fmt}", {"api_key": client_key[1], **filing}),
        fmt,
        400,
        "phone",
        "calls the resident back",
    )


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("phone", "111111111", "phone"),
        ("email", "not-an-address", "email"),
        ("media_url", "javascript:alert(1)", "media_url"),
        ("description", "", "description"),
        ("description", "长" * 2001, "description"),
        ("first_name", "名" * 50, "first_name"),
        ("device_id", "d" * 101, "device_id"),
        ("address_string", "址" * 201, "address_string"),
        ("description", "含有\x00字符", "NUL"),
        ("attribute[noise_time]", "", "attribute[noise_time]"),
        ("attribute[noise_time]", "sometimes", "attribute[noise_time]"),
        ("attribute[noise_kind][]", "singing", "attribute[noise_kind]"),
        ("attribute[no_such_question]", "x", "attribute[no_such_question]"),
        ("attribute[a][b]", "x", "attribute[a][b]"),
    ],
)
def test_a_wrong_field_is_a_400_that_names_it(open311, filing, client_key, field, value, fragment, nothing_written):
    filing[field] = value

    refused(open311.post("requests.json", {"api_key": client_key[1], **filing}), "json", 400, fragment)


def test_every_wrong_field_is_named_at_once(open311, filing, client_key, nothing_written):
    filing.update(email="nope", media_url="ftp://x", lat="north")
    del filing["phone"]

    descriptions = refused(open311.post("requests.xml", {"api_key": client_key[1], **filing}), "xml", 400)

    assert len(descriptions) >= 4, descriptions


# --- bodies ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_10_mb_body_is_refused_unread(open311, filing, client_key, fmt, nothing_written):
    body = f"api_key={client_key[1]}&service_code=noise.construction&description=" + "x" * (10 * 1024 * 1024)

    refused(open311.post(f"requests.{fmt}", body), fmt, 413, "too large")


@pytest.mark.parametrize(
    ("body", "content_type", "fragment"),
    [
        (b"\xff\xfegarbage=1", "application/x-www-form-urlencoded", "UTF-8"),
        (b"description=%FF%FE", "application/x-www-form-urlencoded", "UTF-8"),
        (b'{"service_code": "noise.construction"}', "application/json", "application/x-www-form-urlencoded"),
        (b"<service_request/>", "text/xml", "application/x-www-form-urlencoded"),
        (b'{"service_code": "noise.construction"}', "application/x-www-form-urlencoded", "service_code"),
        (b"--x\r\nbroken", "multipart/form-data; boundary=x", ""),
        (b"&".join([b"f=1"] * 1001), "application/x-www-form-urlencoded", "too many fields"),
    ],
    ids=["binary", "bad-percent-utf8", "json", "xml", "json-as-form", "broken-multipart", "too-many-fields"],
)
def test_a_malformed_body_is_a_400(open311, client_key, body, content_type, fragment, nothing_written):
    answer = open311.post("requests.xml", body, query=f"api_key={client_key[1]}", content_type=content_type)

    refused(answer, "xml", 400, fragment)


def test_a_multipart_body_is_read_like_a_form(open311, filing, client_key):
    from django.test.client import MULTIPART_CONTENT, encode_multipart

    body = encode_multipart("BoUnDaRy", {"api_key": client_key[1], **filing})
    answer = open311.post("requests.json", body, content_type=MULTIPART_CONTENT.replace("BoUnDaRyStRiNg", "BoUnDaRy"))

    assert answer.status == 200, answer.body


# --- the URL --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "services",
        "services/noise.construction",
        "requests",
        "requests/2026120100000001",
        "discovery",
        "tokens/x",
        "services.html",
        "requests.XML",
        "services/",
    ],
)
def test_a_missing_format_suffix_is_a_400_in_xml(open311, categories, path):
    answer = open311.get(path)

    refused(answer, "xml", 400, ".xml or ", ".json")


def test_a_post_without_a_suffix_is_a_400_and_files_nothing(open311, filing, client_key, nothing_written):
    refused(open311.post("requests", {"api_key": client_key[1], **filing}), "xml", 400, "requests.xml")


@pytest.mark.parametrize("path", ["", "foo.xml", "v3/services.xml", "services/a/b.xml"])
def test_an_unknown_resource_is_a_404(open311, db, path):
    refused(open311.get(path), "xml", 404)


@pytest.mark.parametrize(
    ("method", "path"), [("put", "requests.xml"), ("delete", "services.json"), ("patch", "requests/1.json")]
)
def test_a_wrong_method_is_a_405_in_the_error_body(open311, db, method, path):
    from tests.complaints.open311.conftest import BASE

    response = getattr(open311.http, method)(BASE + path)

    assert response.status_code == 405
    fmt = path.rsplit(".", 1)[1]
    body = json.loads(response.content) if fmt == "json" else None
    assert body is None or body[0]["code"] == 405


def test_an_unknown_request_id_is_a_404(open311, db):
    refused(open311.get("requests/2026120199999999.json"), "json", 404, "2026120199999999")


# --- jurisdiction ---------------------------------------------------------------------


@override_settings(WHISTLE_OPEN311_JURISDICTION="beijing.gov.cn")
@pytest.mark.parametrize("fmt", FORMATS)
def test_another_jurisdiction_is_a_404_everywhere(open311, filing, client_key, fmt, nothing_written):
    for path in ("discovery", "services", "services/noise.construction", "requests", "tokens/x"):
        refused(open311.get(f"{path}.{fmt}", jurisdiction_id="sfgov.org"), fmt, 404, "sfgov.org")
    body = {"api_key": client_key[1], "jurisdiction_id": "sfgov.org", **filing}
    refused(open311.post(f"requests.{fmt}", body), fmt, 404, "sfgov.org")
    refused(open311.post(f"requests.{fmt}", filing, query=f"api_key={client_key[1]}&jurisdiction_id=x"), fmt, 404)


@override_settings(WHISTLE_OPEN311_JURISDICTION="beijing.gov.cn")
def test_the_served_jurisdiction_or_none_is_accepted(open311, filing, client_key):
    assert open311.get("services.xml", jurisdiction_id="beijing.gov.cn").status == 200
    assert open311.get("services.xml").status == 200
    body = {"api_key": client_key[1], "jurisdiction_id": "BEIJING.gov.cn", **filing}
    assert open311.post("requests.xml", body).status == 200


def test_without_the_setting_any_jurisdiction_is_accepted(open311, categories):
    assert open311.get("services.xml", jurisdiction_id="city.gov").status == 200


# --- rate limit -----------------------------------------------------------------------


def test_too_many_requests_are_a_429_in_the_error_body(open311, categories, client_key, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"open311": "2/minute"}}

    answers = [open311.get("services.json") for _ in range(3)]
    keyed = [open311.get("services.json", api_key=client_key[1]) for _ in range(3)]

    assert [a.status for a in answers] == [200, 200, 429]
    descriptions = refused(answers[2], "json", 429)
    assert "try again" in descriptions[0]
    assert int(answers[2].headers["Retry-After"]) > 0
    # A client's key has its own count, apart from the address's.
    assert [a.status for a in keyed] == [200, 200, 429]
