"""What the order page says about where a demand came from: its channel and type,
whether the hotline filed it (and, for the 12345 centre, which operator), the
matter's repeat calls (重复件) both ways, and the resident's emergency words
highlighted, escaped, on a page whose query count does not grow with them."""

import html

import pytest
from django.urls import reverse

from complaints.models import Channel, DemandType
from dispatch.models import Role
from tests.factories import MembershipFactory, UserFactory

FIRE = "三楼着火了，有人被困<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def _default_words(settings):
    from portal import settings as portal_settings

    settings.WHISTLE_EMERGENCY_WORDS = list(portal_settings.WHISTLE_EMERGENCY_WORDS)


@pytest.fixture
def as_user(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    def _as(user):
        client.force_login(user)
        return client

    return _as


@pytest.fixture
def operator(units):
    user = UserFactory(username="hotline_wang", first_name="王", last_name="话务员")
    MembershipFactory(user=user, unit=units["centre"], role=Role.OPERATOR)
    return user


def page(client, complaint) -> str:
    response = client.get(reverse("dispatch:order", args=[complaint.tracking_number]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_page_shows_the_channel_and_the_demand_type(submit, people, as_user):
    complaint = submit(channel=Channel.APP, demand_type=DemandType.SUGGESTION)
    text = page(as_user(people["donghuamen_handler"]), complaint)
    assert '<dd class="demand-type">Suggestion</dd>' in text
    assert f'<dd class="channel">{Channel.APP.label}</dd>' in text


def test_a_hotline_order_names_its_operator_to_the_centre_only(submit, people, operator, as_user):
    complaint = submit(channel=Channel.HOTLINE, filed_by=operator)

    handler = page(as_user(people["donghuamen_handler"]), complaint)
    assert "filed by the hotline" in handler
    assert "王" not in handler.split('class="channel"')[1].split("</dd>")[0]
    assert "hotline_wang" not in handler

    centre = page(as_user(people["dispatcher"]), complaint)
    channel = centre.split('class="channel"')[1].split("</dd>")[0]
    assert "filed by the hotline (" in channel
    assert operator.get_full_name() in channel


def test_a_web_order_says_nothing_of_the_hotline(submit, people, as_user):
    assert "filed by the hotline" not in page(as_user(people["donghuamen_handler"]), submit())


def test_a_repeat_links_to_the_first_order_and_the_first_lists_its_repeats(submit, people, as_user):
    first = submit()
    second = submit(description="又在施工了")
    third = submit(description="第三次打电话")
    assert second.repeat_of_id == first.pk and third.repeat_of_id == first.pk
    client = as_user(people["donghuamen_handler"])

    text = page(client, second)
    first_url = reverse("dispatch:order", args=[first.tracking_number])
    assert f'Repeat of order <a href="{first_url}">{first.tracking_number}</a>' in text
    assert "Repeat call</span>" in text

    text = page(client, first)
    repeats = text.split('class="repeats"')[1].split("</dd>")[0]
    assert "2 repeat calls on this matter:" in repeats
    assert repeats.index(second.tracking_number) < repeats.index(third.tracking_number)
    assert f'href="{reverse("dispatch:order", args=[third.tracking_number])}"' in repeats
    assert "2 repeat calls</span>" in text


def test_an_order_without_repeats_shows_no_repeat_line(submit, people, as_user):
    text = page(as_user(people["donghuamen_handler"]), submit())
    assert "Repeat" not in text and "repeat call" not in text


def test_emergency_words_are_marked_in_the_text_and_the_rest_is_escaped(submit, people, as_user):
    complaint = submit(description=FIRE, address="着火的楼 3 号")
    assert complaint.emergency_words
    response = as_user(people["dispatcher"]).get(reverse("dispatch:order", args=[complaint.tracking_number]))
    raw = response.content.decode()
    assert "<script>alert(1)</script>" not in raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    assert '<span class="badge flag-emergency">Emergency</span>' in raw
    description = raw.split('<div class="description">')[1].split("</div>")[0]
    for word in complaint.emergency_words:
        assert f"<mark>{word}</mark>" in description
    assert "<mark>着火</mark>的楼 3 号" in raw


def test_an_order_without_emergency_words_has_no_marks(submit, people, as_user):
    raw = page(as_user(people["donghuamen_handler"]), submit())
    assert "<mark>" not in raw and "flag-emergency" not in raw


# The order page's cost, pinned: the repeat calls add one query when there are any, whatever their number.
# (Its assignments carry the order, their deadline policy and rule, and give the page its returns and
# summoned units and the names of its units on the timeline; photos, followers and requests for more time
# are read only when there are some; the category and place come from the process's trees, and the
# communities and departments it offers from the process's copy of them (12 before); the return
# form's templates are read once.)
ORDER_PAGE_QUERIES = 10


def test_the_order_page_costs_a_fixed_number_of_queries(submit, people, as_user, django_assert_num_queries):
    first = submit()
    client = as_user(people["donghuamen_handler"])
    page(client, first)  # the session and the user's reach, warmed like any later page
    with django_assert_num_queries(ORDER_PAGE_QUERIES):
        page(client, first)

    for n in range(3):
        submit(description=f"第{n}次来电")
    with django_assert_num_queries(ORDER_PAGE_QUERIES + 1):
        page(client, first)
