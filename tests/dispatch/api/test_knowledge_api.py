"""The knowledge base over the API: the 12345 centre searches, reads, writes and
edits (with the version, 409 when stale); everyone else gets 404; bad input is a
field error in the one error shape and changes nothing."""

from datetime import date

import pytest

from dispatch.models import KnowledgeArticle
from dispatch.services.knowledge import ArticleInput, article_create, article_use

SEARCH = "/api/v1/knowledge/"
CREATE = "/api/v1/knowledge/new/"


def article_url(article_id) -> str:
    return f"/api/v1/knowledge/{article_id}/"


def edit_url(article_id) -> str:
    return f"/api/v1/knowledge/{article_id}/edit/"


@pytest.fixture
def heating(people, categories):
    return article_create(
        user=people["dispatcher"],
        data=ArticleInput(
            title="北京市供暖季时间",
            answer="本市法定供暖期为每年11月15日至次年3月15日。",
            category_ids=[categories["utilities"].pk],
            valid_from=date(2024, 1, 1),
            source_document="《北京市供热采暖管理办法》",
        ),
    )


def body(**overrides) -> dict:
    data = {
        "title": "居住证办理",
        "answer": "在本市居住半年以上，可到社区服务站申领居住证。",
        "category_ids": [],
        "valid_from": "2026-01-01",
        "valid_until": None,
        "source_document": "《北京市实施〈居住证暂行条例〉办法》",
        "source_url": "",
    }
    data.update(overrides)
    return data


def test_the_centre_searches_and_gets_the_best_first(api_as, heating, people):
    article_use(article_id=heating.pk, user=people["dispatcher"])

    response = api_as("dispatcher").get(SEARCH, {"q": "供暖"})

    assert response.status_code == 200, response.content
    [found] = response.json()
    assert (found["id"], found["title"], found["title_hits"], found["hits"]) == (heating.pk, "北京市供暖季时间", 1, 2)
    assert (found["use_count"], found["version"], found["valid_today"]) == (1, 1, True)
    assert found["categories"] == [{"id": heating.categories.get().pk, "code": "utilities", "name": "水电气热"}]


def test_the_search_filters_by_category_and_hides_expired_unless_asked(api_as, heating, people, categories):
    expired = article_create(
        user=people["dispatcher"],
        data=ArticleInput(
            title="2025年供暖季",
            answer="已过期",
            category_ids=[],
            valid_from=date(2025, 10, 1),
            valid_until=date(2026, 3, 31),
        ),
    )
    client = api_as("dispatcher")
    assert [a["id"] for a in client.get(SEARCH, {"q": "供暖"}).json()] == [heating.pk]
    assert {a["id"] for a in client.get(SEARCH, {"q": "供暖", "expired": "true"}).json()} == {heating.pk, expired.pk}
    by_category = client.get(SEARCH, {"q": "供暖", "category": categories["noise"].pk}).json()
    assert by_category == []


@pytest.mark.parametrize(
    "params",
    [{}, {"q": ""}, {"q": "长" * 101}, {"q": "供暖", "category": "abc"}, {"q": "供暖", "category": 999_999}],
)
def test_a_bad_search_is_a_field_error(api_as, heating, params):
    response = api_as("dispatcher").get(SEARCH, params)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert set(response.json()["fields"]) <= {"q", "category"} and response.json()["fields"]


def test_a_nul_in_the_search_is_refused(api_as, heating):
    assert api_as("dispatcher").get(SEARCH, {"q": "供暖\x00"}).status_code == 400


def test_reading_an_article_gives_its_history(api_as, heating, people):
    response = api_as("dispatcher").get(article_url(heating.pk))

    assert response.status_code == 200
    data = response.json()
    assert (data["title"], data["author"], data["version"]) == ("北京市供暖季时间", "dispatcher", 1)
    assert [(v["version"], v["edited_by"]) for v in data["versions"]] == [(1, "dispatcher")]


def test_the_centre_writes_an_article(api_as, people, categories):
    response = api_as("dispatcher").post(CREATE, body(category_ids=[categories["other_misc"].pk]), format="json")

    assert response.status_code == 201, response.content
    article = KnowledgeArticle.objects.get()
    assert response.json()["id"] == article.pk and response.json()["version"] == 1
    assert article.author == people["dispatcher"]
    assert list(article.categories.all()) == [categories["other_misc"]]


def test_a_bad_article_names_every_wrong_field_and_creates_nothing(api_as):
    response = api_as("dispatcher").post(
        CREATE,
        body(title="", valid_from="2026-02-01", valid_until="2026-01-01", category_ids=[999_999], source_url="x"),
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"title", "valid_until", "categories", "source_url"}
    assert not KnowledgeArticle.objects.exists()


def test_a_malformed_body_is_a_field_error(api_as):
    response = api_as("dispatcher").post(CREATE, {"title": "x", "valid_from": "tomorrow"}, format="json")
    assert response.status_code == 400 and {"answer", "valid_from"} <= set(response.json()["fields"])
    assert not KnowledgeArticle.objects.exists()


def test_an_edit_with_the_current_version_saves_a_new_one(api_as, heating):
    response = api_as("dispatcher").post(
        edit_url(heating.pk), body(title="北京市供暖季时间（修订）", version=1), format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    assert [v["version"] for v in response.json()["versions"]] == [2, 1]
    heating.refresh_from_db()
    assert heating.title == "北京市供暖季时间（修订）"


def test_a_stale_edit_is_409_and_changes_nothing(api_as, heating):
    client = api_as("dispatcher")
    client.post(edit_url(heating.pk), body(title="第二版", version=1), format="json")

    response = client.post(edit_url(heating.pk), body(title="覆盖", version=1), format="json")

    assert response.status_code == 409 and response.json()["code"] == "changed"
    heating.refresh_from_db()
    assert (heating.version, heating.title) == (2, "第二版")


def test_an_edit_without_a_version_is_a_field_error(api_as, heating):
    response = api_as("dispatcher").post(edit_url(heating.pk), body(), format="json")
    assert response.status_code == 400 and "version" in response.json()["fields"]


def test_an_unknown_article_is_404(api_as):
    client = api_as("dispatcher")
    assert client.get(article_url(999_999)).status_code == 404
    assert client.post(edit_url(999_999), body(version=1), format="json").status_code == 404


@pytest.mark.parametrize("who", ["donghuamen_handler", "market_handler", "dongcheng_supervisor", "nobody"])
def test_nobody_outside_the_centre_reaches_the_knowledge_base(api_as, heating, who):
    client = api_as(who)
    assert client.get(SEARCH, {"q": "供暖"}).status_code == 404
    assert client.get(SEARCH).status_code == 404  # not even a word about the missing query
    assert client.get(article_url(heating.pk)).status_code == 404
    assert client.post(CREATE, body(), format="json").status_code == 404
    assert client.post(edit_url(heating.pk), body(version=1), format="json").status_code == 404
    heating.refresh_from_db()
    assert (KnowledgeArticle.objects.count(), heating.version) == (1, 1)


def test_anonymous_gets_401(api_as, heating):
    client = api_as()
    assert client.get(SEARCH, {"q": "供暖"}).status_code == 401
    assert client.post(CREATE, body(), format="json").status_code == 401
