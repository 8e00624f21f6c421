"""Reference data over the API: the place tree by parent and the categories with
their extra questions. Public, read-only, and a fixed number of queries."""

import pytest
from django.urls import reverse

from complaints.models import CategoryQuestion, QuestionType, RegionLevel
from complaints.services.categories import category_tree
from tests.factories import CategoryFactory, RegionFactory

PLACES = reverse("complaints_api:places")
CATEGORIES = reverse("complaints_api:categories")


def _place(code):
    return reverse("complaints_api:place", args=[code])


def _category(pk):
    return reverse("complaints_api:category", args=[pk])


def test_without_a_parent_the_places_are_the_districts(api, beijing):
    response = api.get(PLACES)

    assert response.status_code == 200
    page = response.json()
    assert page["count"] == 2
    assert page["results"] == [
        {"code": "110101", "name": "东城区", "level": "district", "parent": "11", "has_children": True},
        {"code": "110105", "name": "朝阳区", "level": "district", "parent": "11", "has_children": True},
    ]


def test_a_districts_children_are_its_streets_and_a_streets_its_communities(api, beijing):
    streets = api.get(PLACES, {"parent": "110101"}).json()["results"]
    communities = api.get(PLACES, {"parent": "110101001"}).json()["results"]
    leaves = api.get(PLACES, {"parent": "110101001001"}).json()

    assert [(s["code"], s["level"]) for s in streets] == [("110101001", "street"), ("110101002", "street")]
    assert [c["name"] for c in communities] == ["多福巷社区", "银闸社区"]
    assert not any(c["has_children"] for c in communities)
    assert leaves["count"] == 0 and leaves["results"] == []


def test_an_unknown_parent_is_a_404(api, beijing):
    response = api.get(PLACES, {"parent": "999999"})

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_places_are_paginated(api, beijing):
    page = api.get(PLACES, {"parent": "110101001", "page_size": 1}).json()

    assert page["count"] == 2 and len(page["results"]) == 1 and page["next"]
    assert api.get(PLACES, {"parent": "110101001", "page": 99}).status_code == 404
    assert api.get(PLACES, {"page_size": 10**9}).status_code == 200


def test_the_place_list_costs_the_same_however_many_places(api, beijing, django_assert_num_queries):
    def count():
        with django_assert_num_queries(3):  # the parent, the count, the page
            return api.get(PLACES, {"parent": "110101002"}).json()["count"]

    assert count() == 1
    for n in range(2, 30):
        RegionFactory(
            code=f"110101002{n:03d}", name=f"社区{n}", level=RegionLevel.COMMUNITY, parent=beijing["jingshan"]
        )
    assert count() == 29


def test_a_place_reads_with_the_places_above_it(api, beijing):
    response = api.get(_place("110101001002"))

    assert response.status_code == 200
    assert response.json() == {
        "code": "110101001002",
        "name": "银闸社区",
        "level": "community",
        "parent": "110101001",
        "path": [
            {"code": "110101", "name": "东城区", "level": "district", "parent": "11"},
            {"code": "110101001", "name": "东华门街道", "level": "street", "parent": "110101"},
        ],
    }


@pytest.mark.parametrize("code", ["999999999", "abc", "1" * 300])
def test_an_unknown_place_is_a_404(api, beijing, code):
    response = api.get(_place(code))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_categories_come_as_groups_with_their_active_sub_categories(api, categories, questions):
    CategoryFactory(code="noise.retired", name="已停用", parent=categories["noise"], is_active=False)
    CategoryFactory(code="retired", name="停用的组", is_active=False)

    response = api.get(CATEGORIES)

    assert response.status_code == 200
    groups = {group["code"]: group for group in response.json()}
    assert "retired" not in groups
    noise = groups["noise"]
    assert (noise["name"], noise["default_priority"]) == ("噪声扰民", "normal")
    assert [child["code"] for child in noise["children"]] == ["noise.construction", "noise.neighbour"]
    construction = noise["children"][0]
    assert construction["id"] == categories["noise_construction"].pk
    assert set(construction) == {"id", "code", "name", "name_en", "description", "default_priority", "asks_questions"}
    # The group's question is asked for every sub-category under it.
    assert construction["asks_questions"] is True
    assert groups["market"]["children"][0]["asks_questions"] is False
    assert groups["utilities"]["children"][0]["asks_questions"] is True


def test_the_category_list_costs_two_queries_however_many_categories(api, categories, django_assert_num_queries):
    with django_assert_num_queries(2):
        before = len(api.get(CATEGORIES).json())
    for n in range(10):
        group = CategoryFactory(code=f"group{n}", name=f"组{n}")
        for m in range(3):
            CategoryFactory(code=f"group{n}.c{m}", name=f"类{m}", parent=group)
    with django_assert_num_queries(2):
        assert len(api.get(CATEGORIES).json()) == before + 10


def test_a_sub_category_lists_its_groups_questions_and_its_own(api, categories, questions):
    CategoryQuestion.objects.create(
        category=categories["utilities"], code="building", prompt="楼号", datatype=QuestionType.STRING, order=1
    )
    CategoryQuestion.objects.create(
        category=categories["water_outage"],
        code="retired",
        prompt="旧问题",
        datatype=QuestionType.STRING,
        is_active=False,
    )

    response = api.get(_category(categories["water_outage"].pk))

    assert response.status_code == 200
    detail = response.json()
    assert (detail["code"], detail["group"]["code"]) == ("utilities.water", "utilities")
    assert [q["code"] for q in detail["questions"]] == ["building", "outage_since", "account_number"]
    since = detail["questions"][1]
    assert since == {
        "code": "outage_since",
        "prompt": "从什么时候开始停水？",
        "prompt_en": "Since when?",
        "datatype": "datetime",
        "variable": True,
        "required": True,
        "datatype_description": "",
        "order": 10,
        "values": [],
    }


def test_a_list_question_lists_its_choices(api, categories, questions):
    detail = api.get(_category(categories["noise_neighbour"].pk)).json()

    assert detail["questions"][0]["values"] == [
        {"key": "night", "name": "夜间", "name_en": "At night"},
        {"key": "daytime", "name": "白天", "name_en": "In the daytime"},
    ]


def test_a_group_reads_with_its_own_questions_and_no_group(api, categories, questions):
    detail = api.get(_category(categories["noise"].pk)).json()

    assert detail["group"] is None
    assert [q["code"] for q in detail["questions"]] == ["noise_time"]


def test_a_category_costs_one_query_once_the_category_tree_is_read(
    api, categories, questions, django_assert_num_queries
):
    # The questions come from the tree each process keeps (complaints.services.categories).
    category_tree()
    with django_assert_num_queries(1):
        assert api.get(_category(categories["water_outage"].pk)).status_code == 200


def test_an_inactive_or_unknown_category_is_a_404(api, categories):
    retired = CategoryFactory(code="noise.retired", name="已停用", parent=categories["noise"], is_active=False)
    hidden_group = CategoryFactory(code="hidden", name="停用的组", is_active=False)
    under_hidden = CategoryFactory(code="hidden.child", name="子类", parent=hidden_group)

    for pk in (retired.pk, hidden_group.pk, under_hidden.pk, 987654, 10**30):
        response = api.get(_category(pk))
        assert response.status_code == 404, pk
        assert response.json()["code"] == "not_found"


def test_reference_data_is_read_only(api, categories, beijing):
    assert api.post(CATEGORIES, {}, format="json").status_code == 405
    assert api.delete(_place("110101")).status_code == 405


def test_reference_data_needs_no_sign_in_and_ignores_a_bad_token(api, categories):
    response = api.get(CATEGORIES, HTTP_AUTHORIZATION="Token not-a-real-token")

    assert response.status_code == 200
