"""Filing a complaint through the browser: the home page, the intake form, the
places endpoint behind its cascading selects, and the confirmation page."""

import re
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from complaints.models import Complaint, ComplaintEvent

FILE_URL = reverse("complaints:file")


@pytest.fixture
def client(client):
    # English source strings, so the assertions do not depend on the zh-hans catalogue.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _select_html(html: str, name: str) -> str:
    match = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert match, f"no <select name={name}>"
    return match.group(0)


def test_home_offers_filing_tracking_and_the_emergency_numbers(client, db):
    html = client.get(reverse("complaints:home")).content.decode()
    assert f'href="{FILE_URL}"' in html
    assert f'action="{reverse("complaints:track")}"' in html
    assert 'name="tracking_number"' in html and 'name="phone_last4"' in html
    for number in ("119", "110", "120"):
        assert f'href="tel:{number}"' in html


def test_form_groups_sub_categories_under_their_group_and_lists_the_districts(client, form_data, categories):
    response = client.get(FILE_URL)
    html = response.content.decode()
    category_select = _select_html(html, "category")
    assert '<optgroup label="噪声扰民">' in category_select
    assert f'<option value="{categories["noise_construction"].pk}">施工噪声</option>' in category_select
    # A group itself is not something one can choose.
    assert f'value="{categories["noise"].pk}"' not in category_select
    district_select = _select_html(html, "district")
    assert '<option value="110101">东城区</option>' in district_select
    assert '<option value="110105">朝阳区</option>' in district_select
    assert "东华门街道" not in _select_html(html, "street")
    token = re.search(r'name="submission_token" value="([^"]+)"', html).group(1)
    uuid.UUID(token)
    assert 'href="tel:119"' in html
    assert 'name="refresh_places"' in html and "<noscript>" in html


def test_valid_complaint_is_filed_routed_and_confirmed(client, form_data, units, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(FILE_URL, form_data())

    complaint = Complaint.objects.get()
    assert response.status_code == 303
    assert response["Location"] == reverse("complaints:filed", args=[complaint.tracking_number])
    assert complaint.status == "assigned"
    assert complaint.assignments.get().unit == units["donghuamen"]
    assert complaint.region.code == "110101001001"
    assert complaint.resident_phone == "13800138000"

    confirmation = client.get(response["Location"])
    assert confirmation.status_code == 200
    html = confirmation.content.decode()
    assert f'id="tracking-number">{complaint.tracking_number}<' in html
    assert reverse("complaints:track_detail", args=[complaint.tracking_number]) in html
    # Said once, by the page's heading; no message above it saying it again.
    assert html.count("has been filed") == 1


def test_without_a_community_the_street_is_the_place(client, form_data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(FILE_URL, form_data(community="", hide_name="on", resident_email="zs@example.cn"))

    complaint = Complaint.objects.get()
    assert complaint.region.code == "110101001"
    assert complaint.hide_name is True
    assert complaint.resident_email == "zs@example.cn"


def test_unrouted_category_is_filed_and_waits_for_the_centre(
    client, form_data, categories, units, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(FILE_URL, form_data(category=str(categories["other_misc"].pk)))

    assert response.status_code == 303
    complaint = Complaint.objects.get()
    assert complaint.status == "submitted"
    assert complaint.events.filter(kind="triaged").exists()


BAD_INPUT = [
    ({"description": ""}, "description", "Describe the problem."),
    ({"description": "   "}, "description", "Describe the problem."),
    ({"description": "噪" * 2001}, "description", "at most 2000 characters"),
    ({"category": ""}, "category", "Choose what the complaint is about."),
    ({"category": "999999"}, "category", "Choose a category from the list."),
    ({"category": "abc"}, "category", "Choose a category from the list."),
    ({"category": "9" * 40}, "category", "Choose a category from the list."),
    ({"district": ""}, "district", "Choose a district."),
    ({"district": "999999"}, "district", "Choose a district from the list."),
    ({"district": "110101001"}, "district", "Choose a district from the list."),
    ({"street": ""}, "street", "Choose a street or township."),
    ({"street": "110101999"}, "street", "Choose a street or township from the list."),
    ({"street": "110105001", "community": ""}, "street", "This street or township is not in the chosen district."),
    ({"community": "110101002001"}, "community", "This community is not in the chosen street or township."),
    ({"community": "110101001999"}, "community", "Choose a community from the list."),
    ({"resident_phone": "12345"}, "resident_phone", "Enter a valid mainland China phone number"),
    ({"resident_phone": "+1 202 555 0123"}, "resident_phone", "Enter a valid mainland China phone number"),
    ({"resident_phone": ""}, "resident_phone", "Give a phone number we can reach you on."),
    ({"resident_name": ""}, "resident_name", "Tell us your name."),
    ({"resident_name": "张" * 51}, "resident_name", "at most 50 characters"),
    ({"address": "路" * 201}, "address", "at most 200 characters"),
    ({"address": ""}, "address", "Give the address or a landmark."),
    ({"resident_email": "not-an-address"}, "resident_email", "Enter a valid email address."),
]


@pytest.mark.parametrize(
    ("overrides", "field", "message"), BAD_INPUT, ids=[f"{f}-{i}" for i, (_, f, _) in enumerate(BAD_INPUT)]
)
def test_bad_input_redraws_the_form_with_the_message_and_saves_nothing(client, form_data, overrides, field, message):
    response = client.post(FILE_URL, form_data(**overrides))

    assert response.status_code == 200
    assert Complaint.objects.count() == 0
    assert ComplaintEvent.objects.count() == 0
    errors = response.context["form"].errors
    assert any(message in error for error in errors[field]), errors
    html = response.content.decode()
    # The message sits next to its field, and the field points at it for screen readers.
    assert re.search(rf'id="id_{field}_error"[^>]*>.*?{re.escape(message)}', html, re.S)
    assert re.search(rf'aria-describedby="[^"]*id_{field}_error', html)
    assert 'id="error-summary"' in html


def test_a_valid_description_of_2000_characters_with_line_breaks_is_accepted(
    client, form_data, django_capture_on_commit_callbacks
):
    # Browsers send CRLF; the counter and the limit count a line break as one character.
    description = ("噪" * 99 + "\r\n") * 20
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(FILE_URL, form_data(description=description.rstrip()))
    assert response.status_code == 303
    assert Complaint.objects.get().description.count("\n") == 19


def test_inactive_category_is_refused(client, form_data, categories):
    categories["noise_construction"].is_active = False
    categories["noise_construction"].save(update_fields=["is_active"])

    response = client.post(FILE_URL, form_data())

    assert "Choose a category from the list." in response.context["form"].errors["category"]
    assert f'value="{categories["noise_construction"].pk}"' not in _select_html(response.content.decode(), "category")
    assert Complaint.objects.count() == 0


def test_category_in_an_inactive_group_is_refused(client, form_data, categories):
    categories["noise"].is_active = False
    categories["noise"].save(update_fields=["is_active"])

    response = client.post(FILE_URL, form_data())

    assert "Choose a category from the list." in response.context["form"].errors["category"]
    assert Complaint.objects.count() == 0


def test_top_level_category_is_refused(client, form_data, categories):
    response = client.post(FILE_URL, form_data(category=str(categories["other"].pk)))

    assert "Choose a specific problem, not a group." in response.context["form"].errors["category"]
    assert Complaint.objects.count() == 0


def test_redrawn_form_keeps_the_answers_and_the_token(client, form_data):
    data = form_data(description="")
    html = client.post(FILE_URL, data).content.decode()

    assert f'name="submission_token" value="{data["submission_token"]}"' in html
    assert "东华门大街 1 号" in html
    # The street and community lists are those of the chosen district and street.
    assert '<option value="110101001" selected>东华门街道</option>' in _select_html(html, "street")
    assert '<option value="110101001001" selected>多福巷社区</option>' in _select_html(html, "community")


def test_double_submit_with_the_same_token_files_one_complaint(client, form_data, django_capture_on_commit_callbacks):
    data = form_data()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(FILE_URL, data)
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(FILE_URL, data)

    assert Complaint.objects.count() == 1
    assert first.status_code == second.status_code == 303
    assert first["Location"] == second["Location"]


def test_form_without_a_token_is_refused_and_redrawn_with_a_fresh_one(client, form_data):
    data = form_data()
    del data["submission_token"]
    response = client.post(FILE_URL, data)

    assert Complaint.objects.count() == 0
    html = response.content.decode()
    assert "This form has expired." in html
    uuid.UUID(re.search(r'name="submission_token" value="([^"]+)"', html).group(1))


def test_refusal_from_the_service_lands_on_the_form(client, form_data, monkeypatch):
    def refuse(**kwargs):
        raise ValidationError({"region": "Choose at least the street or township.", "description": "Too vague."})

    monkeypatch.setattr("complaints.views.intake.complaint_submit_with_photos", refuse)
    response = client.post(FILE_URL, form_data())

    errors = response.context["form"].errors
    assert errors["community"] == ["Choose at least the street or township."]
    assert errors["description"] == ["Too vague."]
    assert Complaint.objects.count() == 0


def test_update_places_fills_the_streets_of_the_district_without_errors_or_saving(client, form_data):
    data = form_data(street="", community="", description="", refresh_places="1")
    response = client.post(FILE_URL, data)

    assert response.status_code == 200
    assert Complaint.objects.count() == 0
    html = response.content.decode()
    streets = _select_html(html, "street")
    assert "东华门街道" in streets and "景山街道" in streets
    assert "建外街道" not in streets
    assert "Describe the problem." not in html
    assert 'class="errorlist' not in html and "error-summary" not in html
    assert '<option value="110101" selected>东城区</option>' in _select_html(html, "district")
    assert f'name="submission_token" value="{data["submission_token"]}"' in html


def test_update_places_fills_the_communities_of_the_street(client, form_data):
    data = form_data(street="110101001", community="", refresh_places="1")
    html = client.post(FILE_URL, data).content.decode()

    communities = _select_html(html, "community")
    assert "多福巷社区" in communities and "银闸社区" in communities
    assert "隆福寺社区" not in communities
    assert Complaint.objects.count() == 0


def test_update_places_after_changing_district_drops_the_old_streets_communities(client, form_data):
    data = form_data(district="110105", street="110101001", refresh_places="1")
    html = client.post(FILE_URL, data).content.decode()

    assert "建外街道" in _select_html(html, "street")
    assert "多福巷社区" not in _select_html(html, "community")


def test_places_of_a_district_are_its_streets(client, beijing):
    response = client.get(reverse("complaints:places", args=["110101"]))

    assert response.status_code == 200
    assert response.json() == {
        "children": [{"code": "110101001", "name": "东华门街道"}, {"code": "110101002", "name": "景山街道"}]
    }
    assert "max-age" in response["Cache-Control"]


def test_places_of_a_street_are_its_communities(client, beijing):
    response = client.get(reverse("complaints:places", args=["110101001"]))

    assert response.json()["children"] == [
        {"code": "110101001001", "name": "多福巷社区"},
        {"code": "110101001002", "name": "银闸社区"},
    ]


def test_places_of_the_city_are_its_districts(client, beijing):
    codes = [child["code"] for child in client.get(reverse("complaints:places", args=["11"])).json()["children"]]
    assert codes == ["110101", "110105"]


def test_places_of_an_unknown_code_is_a_json_404(client, beijing):
    response = client.get(reverse("complaints:places", args=["999999"]))

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "error" in response.json()


def test_filed_page_needs_this_browsers_own_complaint(client, form_data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(FILE_URL, form_data())
    number = Complaint.objects.get().tracking_number
    stranger = Client(HTTP_ACCEPT_LANGUAGE="en")

    assert stranger.get(reverse("complaints:filed", args=[number])).status_code == 404
    assert stranger.get(reverse("complaints:filed", args=["2026010112345678"])).status_code == 404
    assert client.get(reverse("complaints:filed", args=[number])).status_code == 200


def test_filing_lets_this_browser_follow_the_complaint(client, form_data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(FILE_URL, form_data())
    number = Complaint.objects.get().tracking_number

    response = client.get(reverse("complaints:track_detail", args=[number]))

    assert response.status_code == 200
    assert number in response.content.decode()


def test_form_renders_in_the_default_language(db, beijing, categories):
    response = Client().get(FILE_URL)

    assert response.status_code == 200
    assert 'lang="zh-hans"' in response.content.decode()


def test_form_costs_a_fixed_number_of_queries(client, form_data, django_assert_max_num_queries):
    # Categories (2), districts, streets of the district, communities of the street; session and sundries.
    with django_assert_max_num_queries(8):
        client.post(FILE_URL, form_data(refresh_places="1"))
