"""Who sees an order's staff page, with or without the resident's personal data,
and who may sign for it: one row per kind of person."""

import pytest
from django.urls import reverse

from dispatch.services.assignments import assignment_hand_down

FULL_PHONE = "13800138000"
MASKED_PHONE = "138****8000"
NOT_YOURS = "Only the unit handling this order can do that."


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


MATRIX = [
    # (who, hand down to 多福巷 first?, GET outcome, POST accept outcome)
    ("donghuamen_handler", False, "full", "acts"),
    ("donghuamen_handler", True, "full", "acts"),
    ("jingshan_handler", False, 404, 404),
    ("duofuxiang_handler", False, 404, 404),
    ("duofuxiang_handler", True, "full", "acts"),
    ("market_handler", False, 404, 404),
    ("dispatcher", False, "full", "refused"),
    ("dongcheng_supervisor", False, "masked", "refused"),
    ("chaoyang_supervisor", False, 404, 404),
    ("city_supervisor", False, "masked", "refused"),
    ("nobody", False, 404, 404),
    ("anonymous", False, "login", "login"),
]


@pytest.mark.parametrize(
    ("who", "handed_down", "page", "accept"),
    MATRIX,
    ids=[f"{who}{'-after-hand-down' if down else ''}" for who, down, _, _ in MATRIX],
)
def test_order_access(client, submit, people, units, who, handed_down, page, accept):
    complaint = submit()
    assignment = complaint.assignments.get()
    if handed_down:
        assignment = assignment_hand_down(
            user=people["donghuamen_handler"], assignment_id=assignment.pk, community_id=units["duofuxiang"].pk
        )
    if who != "anonymous":
        client.force_login(people[who])
    order_url = reverse("dispatch:order", args=[complaint.tracking_number])
    accept_url = reverse("dispatch:accept", args=[complaint.tracking_number])

    response = client.get(order_url)
    if page == "login":
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    elif page == 404:
        assert response.status_code == 404
    else:
        html = response.content.decode()
        assert response.status_code == 200
        assert complaint.tracking_number in html
        if page == "full":
            assert FULL_PHONE in html and "张三" in html
        else:
            assert FULL_PHONE not in html and "张三" not in html
            assert MASKED_PHONE in html and "张*" in html

    version_before = assignment.version
    response = client.post(accept_url, {"version": version_before})
    assignment.refresh_from_db()
    if accept == "acts":
        assert response.status_code == 302
        assert assignment.status == "accepted"
        return
    assert (assignment.status, assignment.version) == ("assigned", version_before)
    if accept == "login":
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    elif accept == 404:
        assert response.status_code == 404
    else:
        assert response.status_code == 302 and response.url == order_url
        assert NOT_YOURS in client.get(order_url).content.decode()
