"""The supervisor's map and the order page's nearby orders: scoped like the reports
and the order page, coloured by the queue's urgency, heat counted on a grid."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from dispatch.models import Assignment

pytestmark = pytest.mark.django_db

DONGHUAMEN = (Decimal("39.916300"), Decimal("116.397200"))
JIANWAI = (Decimal("39.908700"), Decimal("116.456000"))


@pytest.fixture
def pinned(submit):
    """Three open orders in 东华门 (two within a few metres) and one in 建外."""

    def at(point, region, dlat="0"):
        return submit(region=region, latitude=point[0] + Decimal(dlat), longitude=point[1])

    return {
        "a": at(DONGHUAMEN, "duofuxiang"),
        "b": at(DONGHUAMEN, "duofuxiang", "0.000500"),
        "far": at(DONGHUAMEN, "duofuxiang", "0.050000"),
        "jianwai": at(JIANWAI, "jianwai"),
    }


def _due(complaint, delta):
    Assignment.objects.filter(complaint=complaint).update(next_due=timezone.now() + delta)


def _open(client, **params):
    return client.get(reverse("dispatch:report_map_open"), params)


def _numbers(response):
    return sorted(row[3] for row in response.json()["orders"])


def test_a_district_supervisor_sees_only_their_subtrees_open_orders(client, people, pinned):
    client.force_login(people["dongcheng_supervisor"])
    response = _open(client)
    assert response.status_code == 200
    assert _numbers(response) == sorted(pinned[k].tracking_number for k in ("a", "b", "far"))
    client.force_login(people["chaoyang_supervisor"])
    assert _numbers(_open(client)) == [pinned["jianwai"].tracking_number]


def test_the_open_feed_holds_no_personal_data(client, people, pinned):
    client.force_login(people["city_supervisor"])
    body = _open(client).content.decode()
    for complaint in pinned.values():
        assert complaint.resident_name not in body and complaint.resident_phone not in body
        assert complaint.address not in body
    row = _open(client).json()["orders"][0]
    assert len(row) == 5  # lat, lng, urgency, tracking number, category


def test_orders_are_coloured_by_the_queues_urgency(client, people, pinned, settings):
    _due(pinned["a"], -timedelta(hours=1))
    _due(pinned["b"], settings.WHISTLE_DUE_SOON - timedelta(minutes=5))
    _due(pinned["far"], timedelta(days=3))
    client.force_login(people["dongcheng_supervisor"])
    urgency = {row[3]: row[2] for row in _open(client).json()["orders"]}
    assert urgency == {
        pinned["a"].tracking_number: "overdue",
        pinned["b"].tracking_number: "due_soon",
        pinned["far"].tracking_number: "on_time",
    }


@pytest.mark.parametrize("role", ["donghuamen_handler", "market_handler", "nobody"])
def test_people_without_reports_get_404_on_the_map_and_its_feeds(client, people, pinned, role):
    client.force_login(people[role])
    assert client.get(reverse("dispatch:report_map")).status_code == 404
    for name in ("dispatch:report_map_open", "dispatch:report_map_heat"):
        response = client.get(reverse(name))
        assert response.status_code == 404 and response.json()["error"]


def test_a_unit_outside_the_supervisors_reach_is_refused(client, people, units, pinned):
    client.force_login(people["dongcheng_supervisor"])
    response = _open(client, unit=units["chaoyang"].pk)
    assert response.status_code == 403 and "orders" not in response.json()
    assert client.get(reverse("dispatch:report_map"), {"unit": units["chaoyang"].pk}).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, pinned):
    assert _open(client).status_code == 302


def test_heat_counts_the_months_new_complaints_per_grid_cell(client, people, pinned):
    client.force_login(people["city_supervisor"])
    response = client.get(reverse("dispatch:report_map_heat"))
    assert response.status_code == 200
    cells = {(lat, lng): n for lat, lng, n in response.json()["cells"]}
    # a and b (55 m apart) share a 1/200° cell; the far one and 建外 have one each.
    assert sorted(cells.values()) == [1, 1, 2]
    assert (39.915, 116.395) in cells and cells[(39.915, 116.395)] == 2


def test_heat_of_another_month_is_empty_and_the_category_filter_narrows(client, people, pinned, categories):
    client.force_login(people["city_supervisor"])
    url = reverse("dispatch:report_map_heat")
    assert client.get(url, {"month": "2020-01"}).json()["cells"] == []
    other_group = categories["market"].pk
    assert client.get(url, {"category": other_group}).json()["cells"] == []
    assert _open(client, category=other_group).json()["orders"] == []
    noise = categories["noise"].pk
    assert len(_open(client, category=noise).json()["orders"]) == 4


@pytest.mark.parametrize(
    "params", [{"month": "2026-13"}, {"month": "soon"}, {"category": "abc"}, {"category": "999999"}]
)
def test_bad_filters_are_a_400_on_the_feeds_and_the_defaults_on_the_page(client, people, pinned, params):
    client.force_login(people["dongcheng_supervisor"])
    response = _open(client, **params)
    assert response.status_code == 400 and set(response.json()["errors"]) <= {"month", "category"}
    assert client.get(reverse("dispatch:report_map_heat"), params).status_code == 400
    page = client.get(reverse("dispatch:report_map"), params)
    assert page.status_code == 200
    assert page.context["form"].errors
    assert 'class="field-error"' in page.content.decode()


def test_the_map_page_has_a_table_per_street_without_script(client, people, pinned, django_assert_max_num_queries):
    _due(pinned["a"], -timedelta(hours=1))
    client.force_login(people["dongcheng_supervisor"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("dispatch:report_map"))
    html = response.content.decode()
    assert [(row["name"], row["total"], row["overdue"]) for row in response.context["streets"]] == [
        ("东华门街道", 3, 1)
    ]
    assert 'id="open-by-street"' in html and "vendor/leaflet.markercluster/" in html and "js/desk-map.js" in html
    assert reverse("dispatch:report_map") in client.get(reverse("dispatch:report_index")).content.decode()


def test_nearby_orders_are_the_ones_within_a_kilometre_the_user_may_open(client, people, pinned):
    url = reverse("dispatch:order_nearby", args=[pinned["a"].tracking_number])
    client.force_login(people["donghuamen_handler"])
    data = client.get(url).json()
    assert data["pin"] == [float(DONGHUAMEN[0]), float(DONGHUAMEN[1])]
    assert [(row[3], row[5]) for row in data["orders"]] == [(pinned["b"].tracking_number, 56)]


def test_nearby_orders_leave_out_orders_the_user_cannot_open(client, people, submit, pinned):
    # An order of 建外's street office filed a few metres from 东华门's.
    other = submit(region="jianwai", latitude=DONGHUAMEN[0], longitude=DONGHUAMEN[1] + Decimal("0.0003"))
    url = reverse("dispatch:order_nearby", args=[pinned["a"].tracking_number])
    client.force_login(people["donghuamen_handler"])
    assert other.tracking_number not in client.get(url).content.decode()
    client.force_login(people["dispatcher"])
    assert other.tracking_number in client.get(url).content.decode()


def test_nearby_is_a_404_for_someone_who_may_not_open_the_order(client, people, pinned):
    client.force_login(people["chaoyang_supervisor"])
    url = reverse("dispatch:order_nearby", args=[pinned["a"].tracking_number])
    assert client.get(url).status_code == 404
    assert client.get(reverse("dispatch:order_nearby", args=["0000"])).status_code == 404


def test_the_order_page_includes_the_map_only_for_a_pinned_order(client, people, pinned, submit):
    client.force_login(people["donghuamen_handler"])
    page = client.get(reverse("dispatch:order", args=[pinned["a"].tracking_number])).content.decode()
    assert 'id="desk-map"' in page and reverse("dispatch:order_nearby", args=[pinned["a"].tracking_number]) in page
    unpinned = submit()
    page = client.get(reverse("dispatch:order", args=[unpinned.tracking_number])).content.decode()
    assert 'id="desk-map"' not in page
