"""Shared set-up of the hotline desk tests (tests/dispatch/test_hotline_*.py): an
operator of the 12345 centre, knowledge-base articles, the noise group's required
question (as complaints/data/questions.json asks it) and the desk form's data."""

import uuid
from datetime import date

import pytest
from django.urls import reverse

from complaints.models import CategoryQuestion, QuestionType
from dispatch.models import KnowledgeArticle, Role
from dispatch.services.knowledge import ArticleInput, article_write_new
from tests.factories import MembershipFactory, UserFactory

DESK = reverse("dispatch:hotline")


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture(autouse=True)
def noise_time(request):
    """Every noise sub-category asks when the noise happens, and needs the answer:
    the most common demand on the line cannot be filed without it. Only for tests
    that have the categories."""
    if "categories" not in request.fixturenames:
        return None
    return ask_noise_time(request.getfixturevalue("categories"))


def ask_noise_time(categories) -> CategoryQuestion:
    return CategoryQuestion.objects.create(
        category=categories["noise"],
        code="noise_time",
        prompt="噪声一般在什么时候出现？",
        prompt_en="When does the noise happen?",
        datatype=QuestionType.SINGLE,
        required=True,
        order=10,
        values=[
            {"key": "night", "name": "夜间", "name_en": "At night"},
            {"key": "daytime", "name": "白天", "name_en": "In the daytime"},
        ],
    )


@pytest.fixture
def submit(submit):
    """conftest's `submit`, answering the noise question as a resident would."""

    def _submit(category="noise_construction", **overrides):
        if category.startswith("noise"):
            overrides.setdefault("answers", {"noise_time": "night"})
        return submit(category=category, **overrides)

    return _submit


@pytest.fixture
def operator(units):
    user = UserFactory(username="operator")
    MembershipFactory(user=user, unit=units["centre"], role=Role.OPERATOR)
    return user


@pytest.fixture
def operator_client(client, operator):
    client.force_login(operator)
    return client


def article(**overrides) -> KnowledgeArticle:
    fields = {
        "title": "北京市供暖季时间",
        "answer": "本市法定供暖期为每年11月15日至次年3月15日。",
        "category_ids": [],
        "valid_from": date(2024, 1, 1),
    }
    fields.update(overrides)
    return article_write_new(author=None, data=ArticleInput(**fields))


def form_data(categories, **overrides) -> dict:
    data = {
        "caller": "13800138000",
        "caller_name": "张先生",
        "demand_type": "complaint",
        "category": str(categories["noise_construction"].pk),
        "place": "多福巷社区",
        "region": "",
        "address": "东华门大街 1 号",
        "description": "凌晨两点还在施工，噪声很大",
        "submission_token": str(uuid.uuid4()),
        # The noise question, answered on a form that showed it (see `noise_time`).
        "q_noise_time": "night",
    }
    data.update(overrides)
    data.setdefault("questions_for", data.get("category"))
    return {key: value for key, value in data.items() if value is not None}


def filed_url(number: str) -> str:
    return reverse("dispatch:hotline_filed", args=[number])
