"""The personal data log: every view of a resident's full contact details by staff
is written (who, when, which order, which door), once per request and only when
shown in full; rows are never changed or removed; the 12345 centre reads the log,
filtered, paginated and as CSV, and nobody else even finds the page."""

import csv
import io
from datetime import UTC, datetime

import pytest
import time_machine
from django.db.models.deletion import ProtectedError
from django.urls import reverse
from rest_framework.test import APIClient

from dispatch.models import AppendOnlyError, PersonalDataDoor, PersonalDataView
from dispatch.services.audit import personal_data_view_record, personal_data_views_record
from portal.api.tokens import token_issue
from tests.factories import UserFactory

LOG = reverse("dispatch:personal_data_log")
PHONE = "13800138000"


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def api_as(people):
    """An English API client signed in with a personal token as one of `people`."""

    def _as(username: str) -> APIClient:
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(username=people[username].username)}")
        return client

    return _as


@pytest.fixture
def complaint(submit):
    return submit(resident_email="zhangsan@example.com")


def logged(complaint=None) -> list[tuple[str, str]]:
    rows = PersonalDataView.objects.order_by("pk")
    if complaint is not None:
        rows = rows.filter(complaint=complaint)
    return [(row.user.username, row.door) for row in rows]


def order_page(client, complaint):
    return client.get(reverse("dispatch:order", args=[complaint.tracking_number]))


# --- recorded on each door that shows the details in full ---------------------------


@pytest.mark.parametrize("username", ["donghuamen_handler", "dispatcher"])
def test_the_order_page_in_full_is_logged_once(client, people, complaint, username):
    client.force_login(people[username])
    response = order_page(client, complaint)

    assert response.status_code == 200 and PHONE in response.content.decode()
    assert logged(complaint) == [(username, PersonalDataDoor.ORDER_PAGE)]


def test_the_order_page_masked_for_a_supervisor_is_not_logged(client, people, complaint):
    client.force_login(people["dongcheng_supervisor"])
    response = order_page(client, complaint)

    assert response.status_code == 200
    assert PHONE not in response.content.decode() and "138****8000" in response.content.decode()
    assert logged() == []


def test_a_hidden_name_with_the_phone_in_full_is_still_logged(client, people, submit):
    hidden = submit(hide_name=True)
    client.force_login(people["donghuamen_handler"])
    assert PHONE in order_page(client, hidden).content.decode()
    assert logged(hidden) == [("donghuamen_handler", PersonalDataDoor.ORDER_PAGE)]


def test_a_page_someone_may_not_open_is_not_logged(client, people, complaint):
    client.force_login(people["jingshan_handler"])
    assert order_page(client, complaint).status_code == 404
    assert logged() == []


def test_the_order_api_in_full_is_logged_once(api_as, complaint):
    response = api_as("donghuamen_handler").get(f"/api/v1/orders/{complaint.tracking_number}/")

    assert response.status_code == 200 and response.json()["resident"]["phone"] == PHONE
    assert logged(complaint) == [("donghuamen_handler", PersonalDataDoor.ORDER_API)]


def test_the_order_api_masked_for_a_supervisor_is_not_logged(api_as, complaint):
    response = api_as("city_supervisor").get(f"/api/v1/orders/{complaint.tracking_number}/")

    assert response.json()["resident"]["masked"] is True
    assert logged() == []


def test_an_api_action_answering_with_the_order_is_logged(api_as, complaint):
    assignment = complaint.assignments.get()
    response = api_as("donghuamen_handler").post(
        f"/api/v1/orders/{complaint.tracking_number}/accept/", {"version": assignment.version}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["order"]["resident"]["phone"] == PHONE
    assert logged(complaint) == [("donghuamen_handler", PersonalDataDoor.ORDER_API)]


def test_the_triage_queue_shows_no_contact_details_and_logs_nothing(client, api_as, people, submit):
    unrouted = submit(category="other_misc")
    client.force_login(people["dispatcher"])
    page = client.get(reverse("dispatch:triage"))
    api = api_as("dispatcher").get("/api/v1/triage/")

    assert page.status_code == api.status_code == 200
    assert unrouted.tracking_number in page.content.decode() and unrouted.tracking_number in api.content.decode()
    for body in (page.content.decode(), api.content.decode()):
        assert PHONE not in body and "张三" not in body
    assert logged() == []


def test_the_complaint_admin_showing_contact_details_is_logged(client, complaint):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    response = client.get(reverse("admin:complaints_complaint_change", args=[complaint.pk]))

    assert response.status_code == 200 and PHONE in response.content.decode()
    assert logged(complaint) == [("root", PersonalDataDoor.ADMIN)]


def test_a_list_showing_phones_records_one_row_per_order_in_one_query(people, submit, django_assert_num_queries):
    orders = [submit(), submit(), submit()]
    with django_assert_num_queries(1):
        personal_data_views_record(user=people["dispatcher"], complaints=orders, door=PersonalDataDoor.TRIAGE_PAGE)
    assert sorted(PersonalDataView.objects.values_list("complaint_id", flat=True)) == sorted(o.pk for o in orders)


# --- append-only -----------------------------------------------------------------


@pytest.fixture
def row(people, complaint):
    return personal_data_view_record(user=people["dispatcher"], complaint=complaint, door=PersonalDataDoor.ORDER_PAGE)


def test_a_row_cannot_be_saved_again(row, people):
    row.door = PersonalDataDoor.ORDER_API
    row.user = people["nobody"]
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.save(update_fields=["door"])
    assert logged() == [("dispatcher", PersonalDataDoor.ORDER_PAGE)]


def test_a_row_cannot_be_deleted_one_by_one_or_in_bulk(row):
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        PersonalDataView.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        PersonalDataView.objects.filter(pk=row.pk).update(door=PersonalDataDoor.ADMIN)
    assert logged() == [("dispatcher", PersonalDataDoor.ORDER_PAGE)]


def test_the_member_of_staff_and_the_order_cannot_be_deleted_away_from_the_log(row, people, complaint):
    with pytest.raises(ProtectedError):
        people["dispatcher"].delete()
    assert PersonalDataView.objects.filter(pk=row.pk).exists()


@pytest.fixture
def superuser_client(client, db):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_the_admin_lists_the_log_and_offers_no_add_change_or_delete_even_to_a_superuser(superuser_client, row):
    changelist = superuser_client.get(reverse("admin:dispatch_personaldataview_changelist"))
    assert changelist.status_code == 200 and row.complaint.tracking_number in changelist.content.decode()
    assert "delete_selected" not in changelist.content.decode()

    assert superuser_client.get(reverse("admin:dispatch_personaldataview_add")).status_code == 403
    change = reverse("admin:dispatch_personaldataview_change", args=[row.pk])
    shown = superuser_client.get(change)
    assert shown.status_code == 200 and 'name="door"' not in shown.content.decode()  # read-only
    posted = superuser_client.post(change, {"door": PersonalDataDoor.ADMIN, "user": row.user_id})
    assert posted.status_code == 403
    delete = reverse("admin:dispatch_personaldataview_delete", args=[row.pk])
    assert superuser_client.get(delete).status_code == 403
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 403
    bulk = superuser_client.post(
        reverse("admin:dispatch_personaldataview_changelist"),
        {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    assert logged() == [("dispatcher", PersonalDataDoor.ORDER_PAGE)]


# --- the centre's page ---------------------------------------------------------------

T1 = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # 2026-11-30 10:00 in Beijing
T2 = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)  # 2026-12-02 01:00 in Beijing


@pytest.fixture
def history(people, submit):
    """Three views: the street handler on day one, the centre later on two orders."""
    first, second = submit(), submit()
    with time_machine.travel(T1, tick=False):
        personal_data_view_record(user=people["donghuamen_handler"], complaint=first, door=PersonalDataDoor.ORDER_PAGE)
    with time_machine.travel(T2, tick=False):
        personal_data_view_record(user=people["dispatcher"], complaint=first, door=PersonalDataDoor.ORDER_API)
        personal_data_view_record(user=people["dispatcher"], complaint=second, door=PersonalDataDoor.ORDER_PAGE)
    return {"first": first, "second": second}


def listed(response) -> list[tuple[str, str, str]]:
    return [(r.user.username, r.complaint.tracking_number, r.door) for r in response.context["page"]]


@pytest.fixture
def centre(client, people):
    client.force_login(people["dispatcher"])
    return client


def test_the_centre_reads_the_log_newest_first(centre, history):
    response = centre.get(LOG)

    assert response.status_code == 200
    first, second = history["first"].tracking_number, history["second"].tracking_number
    assert listed(response) == [
        ("dispatcher", second, "order_page"),
        ("dispatcher", first, "order_api"),
        ("donghuamen_handler", first, "order_page"),
    ]
    html = response.content.decode()
    assert "2026-11-30 10:00:00" in html  # Beijing time
    assert "Order API" in html and "3 views" in html


@pytest.mark.parametrize("username", ["donghuamen_handler", "dongcheng_supervisor", "city_supervisor", "nobody"])
def test_nobody_but_the_centre_finds_the_page(client, people, history, username):
    client.force_login(people[username])
    assert client.get(LOG).status_code == 404
    assert client.get(LOG, {"format": "csv"}).status_code == 404


def test_an_anonymous_visitor_gets_404_not_a_login_page(client, history):
    assert client.get(LOG).status_code == 404
    assert client.get(LOG, {"format": "csv"}).status_code == 404


def test_the_nav_links_the_log_for_the_centre_only(client, people):
    client.force_login(people["dispatcher"])
    assert LOG in client.get(reverse("dispatch:triage")).content.decode()
    client.force_login(people["donghuamen_handler"])
    assert LOG not in client.get(reverse("dispatch:home"), follow=True).content.decode()


def test_filter_by_tracking_number_as_read_out_in_groups(centre, history):
    number = history["first"].tracking_number
    grouped = f"{number[:4]} {number[4:8]}-{number[8:]}"
    assert {t for _, t, _ in listed(centre.get(LOG, {"tracking_number": grouped}))} == {number}


def test_filter_by_username(centre, history):
    assert listed(centre.get(LOG, {"username": "donghuamen_handler"})) == [
        ("donghuamen_handler", history["first"].tracking_number, "order_page")
    ]


def test_filter_by_beijing_days(centre, history):
    # T2 is 2026-12-01 17:00 UTC, already 2026-12-02 in Beijing.
    assert len(listed(centre.get(LOG, {"since": "2026-12-02", "until": "2026-12-02"}))) == 2
    assert len(listed(centre.get(LOG, {"until": "2026-12-01"}))) == 1
    assert len(listed(centre.get(LOG, {"since": "2026-11-01", "until": "2026-11-29"}))) == 0


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"since": "2026-12-31", "until": "2026-12-01"}, "The end comes before the start."),
        ({"since": "yesterday"}, "Enter a valid date."),
        ({"tracking_number": "abc"}, "A tracking number has digits only."),
        ({"username": "x" * 151}, "Ensure this value has at most 150 characters"),
    ],
)
def test_a_bad_filter_says_what_is_wrong_and_lists_nothing(centre, history, params, message):
    response = centre.get(LOG, params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert listed(response) == []
    csv_response = centre.get(LOG, {**params, "format": "csv"})
    assert csv_response.status_code == 400 and csv_response["Content-Type"].startswith("text/html")


def test_the_log_is_paginated(centre, people, submit, settings):
    settings.WHISTLE_PAGE_SIZE = 2
    order = submit()
    for _ in range(5):
        personal_data_view_record(user=people["dispatcher"], complaint=order, door=PersonalDataDoor.ORDER_PAGE)
    first = centre.get(LOG)
    last = centre.get(LOG, {"page": 3})
    assert len(listed(first)) == 2 and len(listed(last)) == 1
    assert "Page 1 of 3" in first.content.decode()
    assert listed(centre.get(LOG, {"page": "nonsense"})) == listed(first)


def test_the_page_query_count_does_not_grow_with_rows(centre, people, submit, django_assert_max_num_queries):
    order = submit()
    personal_data_views_record(user=people["dispatcher"], complaints=[order] * 20, door=PersonalDataDoor.ORDER_PAGE)
    with django_assert_max_num_queries(8):
        assert centre.get(LOG).status_code == 200


def _csv(response) -> list[list[str]]:
    body = response.getvalue()
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_csv_has_the_filtered_rows_newest_first_in_beijing_time(centre, history):
    response = centre.get(LOG, {"format": "csv", "tracking_number": history["first"].tracking_number})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="personal-data-views-')
    header, *rows = _csv(response)
    assert header == ["When (Beijing time)", "Member of staff", "Tracking number", "Seen on"]
    number = history["first"].tracking_number
    assert rows == [
        ["2026-12-02 01:00", "dispatcher", number, "Order API"],
        ["2026-11-30 10:00", "donghuamen_handler", number, "Order page"],
    ]
    assert PHONE not in str([header, *rows])


def test_the_csv_never_carries_a_live_formula(centre, submit):
    sly = UserFactory(username="=HYPERLINK(1)")
    personal_data_view_record(user=sly, complaint=submit(), door=PersonalDataDoor.ORDER_PAGE)
    _, row = _csv(centre.get(LOG, {"format": "csv"}))
    assert row[1] == "'=HYPERLINK(1)"
