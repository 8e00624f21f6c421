"""The knowledge base desk pages: the centre searches with highlighted matches,
writes, edits with a version check and archives; to everyone else the pages do
not exist."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dispatch.models import KnowledgeArticle
from dispatch.services.knowledge import ArticleInput, article_create, article_update

SEARCH = reverse("dispatch:knowledge")
NEW = reverse("dispatch:knowledge_new")


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def centre_client(client, people):
    client.force_login(people["dispatcher"])
    return client


def write(user, **overrides) -> KnowledgeArticle:
    fields = {
        "title": "北京市供暖季时间",
        "answer": "本市法定供暖期为每年11月15日至次年3月15日。",
        "category_ids": [],
        "valid_from": date(2024, 1, 1),
    }
    fields.update(overrides)
    return article_create(user=user, data=ArticleInput(**fields))


@pytest.fixture
def heating(people):
    return write(people["dispatcher"])


def form_data(**overrides) -> dict:
    data = {
        "title": "居住证办理",
        "answer": "在本市居住半年以上，可到社区服务站申领居住证。",
        "valid_from": "2026-01-01",
        "valid_until": "",
        "source_document": "《北京市实施〈居住证暂行条例〉办法》",
        "source_url": "https://www.beijing.gov.cn/",
    }
    data.update(overrides)
    return data


def detail(article):
    return reverse("dispatch:knowledge_detail", args=[article.pk])


def edit(article):
    return reverse("dispatch:knowledge_edit", args=[article.pk])


def archive(article):
    return reverse("dispatch:knowledge_archive", args=[article.pk])


# --- Who may ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["donghuamen_handler", "dongcheng_supervisor", "city_supervisor", "nobody"])
def test_the_pages_do_not_exist_outside_the_12345_centre(client, people, heating, who):
    client.force_login(people[who])
    for url in (SEARCH, SEARCH + "?q=供暖", NEW, detail(heating), edit(heating)):
        assert client.get(url).status_code == 404, url
    assert client.post(NEW, form_data()).status_code == 404
    assert client.post(edit(heating), form_data(version=1)).status_code == 404
    assert client.post(archive(heating), {"version": 1}).status_code == 404
    heating.refresh_from_db()
    assert (KnowledgeArticle.objects.count(), heating.version, heating.is_archived) == (1, 1, False)


def test_an_anonymous_visitor_is_sent_to_sign_in_and_sees_nothing(client, heating):
    for url in (SEARCH + "?q=供暖", detail(heating), NEW):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"], url
    response = client.post(NEW, form_data())
    assert response.status_code == 302 and KnowledgeArticle.objects.count() == 1


def test_the_desk_menu_links_the_knowledge_base_for_the_centre_only(client, people):
    client.force_login(people["dispatcher"])
    assert SEARCH in client.get(reverse("dispatch:triage")).content.decode()
    client.force_login(people["city_supervisor"])
    assert SEARCH not in client.get(reverse("dispatch:overdue")).content.decode()


# --- Searching ------------------------------------------------------------------------


def test_search_shows_matches_highlighted(centre_client, heating, people):
    write(people["dispatcher"], title="居住证办理", answer="在本市居住半年以上。")

    response = centre_client.get(SEARCH, {"q": "供暖"})

    html = response.content.decode()
    assert response.status_code == 200
    assert [row["article"].pk for row in response.context["rows"]] == [heating.pk]
    assert "北京市<mark>供暖</mark>季时间" in html
    assert "本市法定<mark>供暖</mark>期" in html
    assert "居住证" not in html


def test_the_search_text_is_escaped(centre_client, people):
    write(people["dispatcher"], title="<b>供暖</b>须知", answer="<script>alert(1)</script>供暖")
    html = centre_client.get(SEARCH, {"q": "供暖"}).content.decode()
    assert "<script>alert(1)" not in html and "&lt;b&gt;<mark>供暖</mark>" in html


def test_expired_articles_show_only_when_asked(centre_client, people):
    expired = write(
        people["dispatcher"], title="2025年供暖季", valid_from=date(2025, 10, 1), valid_until=date(2026, 3, 31)
    )

    assert centre_client.get(SEARCH, {"q": "供暖"}).context["rows"] == []
    rows = centre_client.get(SEARCH, {"q": "供暖", "expired": "on"}).context["rows"]
    assert [row["article"].pk for row in rows] == [expired.pk] and rows[0]["valid"] is False
    assert "Not valid today" in centre_client.get(SEARCH, {"q": "供暖", "expired": "on"}).content.decode()


def test_the_category_filter_narrows_the_search(centre_client, people, categories):
    water = write(people["dispatcher"], title="停水查询", category_ids=[categories["water_outage"].pk])
    write(people["dispatcher"], title="停水施工", category_ids=[categories["noise_construction"].pk])

    rows = centre_client.get(SEARCH, {"q": "停水", "category": categories["utilities"].pk}).context["rows"]

    assert [row["article"].pk for row in rows] == [water.pk]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "长" * 101}, "100 characters or fewer"),
        ({"q": "供暖", "category": "abc"}, "Choose a category from the list."),
        ({"q": "供暖", "category": "999999"}, "Choose a category from the list."),
    ],
)
def test_a_bad_search_gets_a_message_not_an_error(centre_client, heating, params, message):
    response = centre_client.get(SEARCH, params)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["rows"] is None


def test_a_nul_in_the_search_is_refused_before_the_page(centre_client):
    # The portal's middleware answers every NUL with a 400 that says so; the
    # selector refuses one too, for callers that are not HTTP requests.
    response = centre_client.get(SEARCH, {"q": "供暖\x00"})
    assert response.status_code == 400 and "NUL character" in response.content.decode()


def test_without_a_search_the_page_lists_articles_to_browse(centre_client, heating):
    response = centre_client.get(SEARCH)
    assert [a.pk for a in response.context["page"]] == [heating.pk]
    assert detail(heating) in response.content.decode()


# --- Writing, editing, archiving -------------------------------------------------------


def test_the_centre_writes_an_article(centre_client, people, categories):
    response = centre_client.post(NEW, {**form_data(), "categories": [categories["other_misc"].pk]})

    article = KnowledgeArticle.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(article)
    assert (article.title, article.author, article.version) == ("居住证办理", people["dispatcher"], 1)
    assert list(article.categories.all()) == [categories["other_misc"]]
    page = centre_client.get(detail(article)).content.decode()
    assert "在本市居住半年以上" in page and "Version history" in page


def test_a_bad_article_is_shown_again_with_its_errors(centre_client):
    response = centre_client.post(
        NEW, form_data(title="", valid_from="2026-13-01", source_url="ftp://x", categories=["999999"])
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter the date as YYYY-MM-DD." in html
    assert "Choose categories from the list." in html
    assert not KnowledgeArticle.objects.exists()


def test_service_errors_show_beside_their_fields(centre_client):
    response = centre_client.post(NEW, form_data(title="", valid_until="2025-01-01", source_url="ftp://x"))

    form = response.context["form"]
    assert form.errors["title"] == ["Give the article a title."]
    assert form.errors["valid_until"] == ["The end date cannot be before the start date."]
    assert "http://" in form.errors["source_url"][0]
    assert not KnowledgeArticle.objects.exists()


def test_an_edit_saves_a_new_version(centre_client, heating):
    form = centre_client.get(edit(heating)).context["form"]
    assert form.initial["version"] == 1

    response = centre_client.post(edit(heating), form_data(title="北京市供暖季时间（修订）", version=1))

    heating.refresh_from_db()
    assert response.status_code == 302
    assert (heating.version, heating.title) == (2, "北京市供暖季时间（修订）")
    page = centre_client.get(detail(heating)).content.decode()
    assert "北京市供暖季时间（修订）" in page and page.count("<details>") == 2


def test_a_stale_edit_is_refused_and_keeps_what_was_typed(centre_client, heating, people):
    article_update(
        user=people["dispatcher"],
        article_id=heating.pk,
        version=1,
        data=ArticleInput(title="同事的修改", answer="同事写的答案", category_ids=[], valid_from=date(2024, 1, 1)),
    )

    response = centre_client.post(edit(heating), form_data(title="我的修改", version=1), follow=True)

    heating.refresh_from_db()
    assert (heating.version, heating.title) == (2, "同事的修改")
    html = response.content.decode()
    assert "This article was changed by someone else" in html
    assert "我的修改" in html  # what was typed is not lost


@pytest.mark.parametrize("version", ["", "abc", "0"])
def test_an_edit_without_a_proper_version_counts_as_stale(centre_client, heating, version):
    response = centre_client.post(edit(heating), form_data(title="我的修改", version=version))
    heating.refresh_from_db()
    assert response.status_code == 200 and heating.version == 1
    assert "changed by someone else" in response.content.decode()


def test_archiving_takes_an_article_out_of_the_search(centre_client, heating):
    response = centre_client.post(archive(heating), {"version": 1}, follow=True)

    heating.refresh_from_db()
    assert heating.is_archived
    assert "no longer offered" in response.content.decode()
    assert centre_client.get(SEARCH, {"q": "供暖"}).context["rows"] == []
    assert centre_client.get(edit(heating)).status_code == 302  # back to the article: it can no longer be edited


def test_a_stale_archive_is_refused(centre_client, heating):
    response = centre_client.post(archive(heating), {"version": "x"}, follow=True)
    heating.refresh_from_db()
    assert not heating.is_archived and "changed by someone else" in response.content.decode()


def test_archiving_is_post_only(centre_client, heating):
    assert centre_client.get(archive(heating)).status_code == 405


def test_an_unknown_article_is_404(centre_client):
    assert centre_client.get(reverse("dispatch:knowledge_detail", args=[999_999])).status_code == 404
    assert centre_client.get(reverse("dispatch:knowledge_edit", args=[999_999])).status_code == 404


def test_the_search_page_costs_the_same_for_few_or_many_results(centre_client, people):
    def queries_for_search() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert centre_client.get(SEARCH, {"q": "供暖"}).status_code == 200
        return len(captured)

    write(people["dispatcher"])
    few = queries_for_search()
    for n in range(12):
        write(people["dispatcher"], title=f"供暖问答{n}")
    assert queries_for_search() == few


def test_the_admin_shows_articles_and_their_history_read_only(admin_client, heating, people):
    article_update(
        user=people["dispatcher"],
        article_id=heating.pk,
        version=1,
        data=ArticleInput(title="供暖季（修订）", answer="新答复", category_ids=[], valid_from=date(2024, 1, 1)),
    )
    change = reverse("admin:dispatch_knowledgearticle_change", args=[heating.pk])

    html = admin_client.get(change).content.decode()

    assert "供暖季（修订）" in html and "北京市供暖季时间" in html  # the current text and version 1's title
    assert admin_client.get(reverse("admin:dispatch_knowledgearticle_add")).status_code == 403
    admin_client.post(change, {"title": "在后台改"})
    heating.refresh_from_db()
    assert heating.title == "供暖季（修订）"


def test_the_history_names_each_versions_categories(centre_client, people, categories):
    article = write(people["dispatcher"], category_ids=[categories["water_outage"].pk])
    article_update(
        user=people["dispatcher"],
        article_id=article.pk,
        version=1,
        data=ArticleInput(
            title="北京市供暖季时间",
            answer="新答复",
            category_ids=[categories["utilities"].pk],
            valid_from=date(2024, 1, 1),
        ),
    )

    rows = centre_client.get(detail(article)).context["versions"]

    assert [(version.version, names) for version, names in rows] == [(2, ["水电气热"]), (1, ["停水"])]
