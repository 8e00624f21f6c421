"""The knowledge base's services and search: versioned edits that never overwrite
a colleague's, a history row per version, answers counted only while valid, and a
search that finds Chinese substrings, ranks in SQL and refuses bad input."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dispatch.models import KnowledgeArticle, KnowledgeArticleVersion
from dispatch.selectors.knowledge import article_get_for, article_list, article_search, excerpt, highlighted
from dispatch.services.knowledge import ArticleInput, article_archive, article_create, article_update, article_use
from dispatch.services.seed.knowledge import DEMO_ARTICLES, knowledge_seed
from portal.errors import ActionRefused, ChangedBySomeoneElse, NotFound

TODAY = date(2026, 12, 1)


@pytest.fixture
def centre(people):
    return people["dispatcher"]


def article_input(**overrides) -> ArticleInput:
    fields = {
        "title": "北京市供暖季时间",
        "answer": "本市法定供暖期为每年11月15日至次年3月15日。",
        "category_ids": [],
        "valid_from": date(2024, 1, 1),
        "valid_until": None,
        "source_document": "《北京市供热采暖管理办法》",
        "source_url": "",
    }
    fields.update(overrides)
    return ArticleInput(**fields)


@pytest.fixture
def write(centre):
    def _write(**overrides) -> KnowledgeArticle:
        return article_create(user=centre, data=article_input(**overrides))

    return _write


# --- Writing -----------------------------------------------------------------------


def test_a_new_article_is_version_one_with_its_first_history_row(centre, categories):
    article = article_create(
        user=centre, data=article_input(category_ids=[categories["water_outage"].pk], title="  停水通知查询  ")
    )

    article.refresh_from_db()
    assert (article.version, article.author, article.title, article.use_count) == (1, centre, "停水通知查询", 0)
    assert list(article.categories.all()) == [categories["water_outage"]]
    [first] = article.versions.all()
    assert (first.version, first.title, first.category_ids, first.edited_by) == (
        1,
        "停水通知查询",
        [categories["water_outage"].pk],
        centre,
    )


def test_an_edit_keeps_the_old_text_as_a_version(write, centre, categories):
    article = write()

    article_update(
        user=centre,
        article_id=article.pk,
        version=1,
        data=article_input(
            answer="供暖期为11月15日至次年3月15日，可视天气提前。", category_ids=[categories["utilities"].pk]
        ),
    )

    article.refresh_from_db()
    assert article.version == 2
    assert article.answer.startswith("供暖期为")
    assert list(article.categories.all()) == [categories["utilities"]]
    history = list(article.versions.order_by("version").values_list("version", "answer", "category_ids"))
    assert history == [
        (1, "本市法定供暖期为每年11月15日至次年3月15日。", []),
        (2, "供暖期为11月15日至次年3月15日，可视天气提前。", [categories["utilities"].pk]),
    ]


def test_a_stale_edit_is_refused_and_writes_nothing(write, centre, people):
    article = write()
    article_update(user=centre, article_id=article.pk, version=1, data=article_input(title="供暖时间（第二版）"))

    with pytest.raises(ChangedBySomeoneElse) as refused:
        article_update(user=centre, article_id=article.pk, version=1, data=article_input(title="覆盖别人的修改"))

    assert "changed by someone else" in str(refused.value)
    article.refresh_from_db()
    assert (article.version, article.title) == (2, "供暖时间（第二版）")
    assert article.versions.count() == 2


def test_an_edit_with_bad_fields_names_each_and_changes_nothing(write, centre):
    article = write()

    with pytest.raises(ValidationError) as refused:
        article_update(
            user=centre,
            article_id=article.pk,
            version=1,
            data=article_input(
                title="",
                answer="x" * 20_001,
                valid_until=date(2023, 12, 31),
                source_url="javascript:alert(1)",
                category_ids=[999_999],
            ),
        )

    assert set(refused.value.message_dict) == {"title", "answer", "valid_until", "source_url", "categories"}
    article.refresh_from_db()
    assert (article.version, article.title) == (1, "北京市供暖季时间")
    assert KnowledgeArticleVersion.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "标题\x00"),
        ("title", "长" * 201),
        ("answer", "   "),
        ("category_ids", ["not an id"]),
        ("category_ids", [2**70]),
        ("source_document", "文" * 201),
    ],
)
def test_bad_input_creates_nothing(centre, field, value):
    with pytest.raises(ValidationError):
        article_create(user=centre, data=article_input(**{field: value}))
    assert not KnowledgeArticle.objects.exists()


def test_an_inactive_category_cannot_be_chosen(centre, categories):
    categories["other_misc"].is_active = False
    categories["other_misc"].save(update_fields=["is_active"])
    with pytest.raises(ValidationError) as refused:
        article_create(user=centre, data=article_input(category_ids=[categories["other_misc"].pk]))
    assert "categories" in refused.value.message_dict


@pytest.mark.parametrize("who", ["donghuamen_handler", "city_supervisor", "nobody"])
def test_only_the_12345_centre_writes_the_knowledge_base(people, write, who):
    article = write()
    with pytest.raises(NotFound):
        article_create(user=people[who], data=article_input(title="不该写入"))
    with pytest.raises(NotFound):
        article_update(user=people[who], article_id=article.pk, version=1, data=article_input(title="不该改"))
    with pytest.raises(NotFound):
        article_archive(user=people[who], article_id=article.pk, version=1)
    with pytest.raises(NotFound):
        article_use(user=people[who], article_id=article.pk)
    article.refresh_from_db()
    assert (KnowledgeArticle.objects.count(), article.version, article.is_archived, article.use_count) == (
        1,
        1,
        False,
        0,
    )


def test_an_archived_article_is_not_searched_nor_edited(write, centre):
    article = write()

    article_archive(user=centre, article_id=article.pk, version=1)

    assert article_search(user=centre, query="供暖", on=TODAY) == []
    with pytest.raises(ActionRefused, match="archived"):
        article_update(user=centre, article_id=article.pk, version=1, data=article_input(title="再改"))
    with pytest.raises(ActionRefused, match="already archived"):
        article_archive(user=centre, article_id=article.pk, version=1)
    assert article_get_for(user=centre, article_id=article.pk).is_archived


def test_a_stale_archive_is_refused(write, centre):
    article = write()
    article_update(user=centre, article_id=article.pk, version=1, data=article_input(title="新标题"))
    with pytest.raises(ChangedBySomeoneElse):
        article_archive(user=centre, article_id=article.pk, version=1)
    article.refresh_from_db()
    assert not article.is_archived


def test_an_unknown_article_is_not_found(centre):
    for article_id in (999_999, "abc", None):
        with pytest.raises(NotFound):
            article_use(user=centre, article_id=article_id)
        with pytest.raises(NotFound):
            article_get_for(user=centre, article_id=article_id)


# --- Using an answer ---------------------------------------------------------------


def test_using_an_article_counts_it_and_remembers_when(write, centre):
    article = write()

    article_use(article_id=article.pk, user=centre, on=TODAY)
    used = article_use(article_id=article.pk, user=centre, on=TODAY)

    assert used.use_count == 2 and used.last_used_at is not None
    assert used.version == 1  # a use is not an edit: editors' forms stay fresh


def test_an_expired_article_cannot_be_used(write, centre):
    article = write(valid_from=date(2025, 10, 15), valid_until=date(2026, 3, 31))

    with pytest.raises(ActionRefused, match="expired"):
        article_use(article_id=article.pk, user=centre, on=TODAY)
    with pytest.raises(ActionRefused, match="not valid yet"):
        article_use(article_id=article.pk, user=centre, on=date(2025, 1, 1))
    article.refresh_from_db()
    assert (article.use_count, article.last_used_at) == (0, None)


def test_the_last_day_of_validity_still_counts(write, centre):
    article = write(valid_from=date(2026, 11, 1), valid_until=TODAY)
    assert article_use(article_id=article.pk, user=centre, on=TODAY).use_count == 1
    assert [a.pk for a in article_search(user=centre, query="供暖", on=TODAY)] == [article.pk]
    assert article_search(user=centre, query="供暖", on=TODAY + timedelta(days=1)) == []


# --- Searching ---------------------------------------------------------------------


def test_search_finds_chinese_substrings_in_title_and_answer(write, centre):
    heating = write()
    permit = write(title="居住证办理", answer="在本市居住半年以上，可到社区服务站申领居住证。")

    assert [a.pk for a in article_search(user=centre, query="供暖", on=TODAY)] == [heating.pk]
    assert [a.pk for a in article_search(user=centre, query="半年", on=TODAY)] == [permit.pk]
    assert article_search(user=centre, query="公积金", on=TODAY) == []


def test_every_term_must_match(write, centre):
    heating = write()
    write(title="供热设施报修", answer="暖气漏水请联系供热单位。")

    found = article_search(user=centre, query="供暖  3月15日", on=TODAY)

    assert [a.pk for a in found] == [heating.pk]


def test_search_ranks_title_matches_then_matched_terms_then_recent_use(write, centre):
    in_answer = write(title="暖气不热怎么办", answer="供暖期内室温不低于18℃，可联系供热单位。")
    in_title = write(title="供暖季时间", answer="每年11月15日开始。")
    used_lately = write(title="暖气试水", answer="供暖前试水，请留人在家。")
    article_use(article_id=used_lately.pk, user=centre, on=TODAY)

    ranked = article_search(user=centre, query="供暖", on=TODAY)

    assert [a.pk for a in ranked] == [in_title.pk, used_lately.pk, in_answer.pk]
    assert (ranked[0].title_hits, ranked[0].hits) == (1, 1)


def test_an_article_matching_in_more_places_ranks_higher(write, centre):
    title_only = write(title="供暖时间", answer="每年11月15日开始。")
    title_and_answer = write(title="供暖报修", answer="报修电话：96069；供暖期内24小时受理。")

    ranked = article_search(user=centre, query="供暖", on=TODAY)

    assert [a.pk for a in ranked] == [title_and_answer.pk, title_only.pk]
    assert [(a.title_hits, a.hits) for a in ranked] == [(1, 2), (1, 1)]


def test_expired_and_future_articles_are_not_offered_unless_asked(write, centre):
    valid = write(title="供暖季时间")
    expired = write(title="2025年供暖季", valid_from=date(2025, 10, 1), valid_until=date(2026, 3, 31))
    future = write(title="2027年供暖季", valid_from=date(2027, 10, 1))

    assert [a.pk for a in article_search(user=centre, query="供暖", on=TODAY)] == [valid.pk]
    with_expired = {a.pk for a in article_search(user=centre, query="供暖", on=TODAY, include_expired=True)}
    assert with_expired == {valid.pk, expired.pk, future.pk}
    assert [a.pk for a in article_list(user=centre, on=TODAY)] == [valid.pk]


def test_the_category_filter_takes_in_the_group_and_its_sub_categories(write, centre, categories):
    water = write(
        title="停水查询", answer="停水信息可在自来水集团网站查询。", category_ids=[categories["water_outage"].pk]
    )
    group = write(title="水电气热报修", answer="停水停电请先联系物业。", category_ids=[categories["utilities"].pk])
    write(title="施工停水", answer="施工导致停水。", category_ids=[categories["noise_construction"].pk])

    by_sub = {a.pk for a in article_search(user=centre, query="停水", category=categories["water_outage"], on=TODAY)}
    by_group = {a.pk for a in article_search(user=centre, query="停水", category=categories["utilities"], on=TODAY)}

    assert by_sub == {water.pk, group.pk}
    assert by_group == {water.pk, group.pk}


def test_search_terms_are_literal_not_patterns(write, centre):
    write(title="100%退款", answer="预付卡退款规定。")
    write(title="其他", answer="与退款无关的内容")
    assert [a.title for a in article_search(user=centre, query="100%", on=TODAY)] == ["100%退款"]
    assert article_search(user=centre, query="_", on=TODAY) == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Type what the caller"),
        ("   ", "Type what the caller"),
        ("供暖\x00", "cannot be searched"),
        ("长" * 101, "100 characters"),
        (" ".join(str(n) for n in range(9)), "at most 8 words"),
        (None, "Type what the caller"),
    ],
)
def test_bad_searches_are_refused_with_a_clear_message(centre, query, message):
    with pytest.raises(ActionRefused, match=message) as refused:
        article_search(user=centre, query=query, on=TODAY)
    assert refused.value.field == "q"


@pytest.mark.parametrize("who", ["donghuamen_handler", "dongcheng_supervisor", "nobody"])
def test_nobody_outside_the_centre_searches_or_reads(people, write, who):
    article = write()
    with pytest.raises(NotFound):
        article_search(user=people[who], query="供暖", on=TODAY)
    with pytest.raises(NotFound):
        article_get_for(user=people[who], article_id=article.pk)
    with pytest.raises(NotFound):
        article_list(user=people[who])


def test_search_costs_a_fixed_number_of_queries(write, centre, categories):
    for n in range(15):
        write(title=f"供暖问答{n}", category_ids=[categories["utilities"].pk])
    with CaptureQueriesContext(connection) as queries:
        found = article_search(user=centre, query="供暖", on=TODAY)
        names = [[c.name for c in a.categories.all()] for a in found]
    assert len(found) == 15 and names[0] == ["水电气热"]
    assert len(queries) == 2  # the articles, their categories (the user's reach is read once, already)


def test_search_is_limited(write, centre):
    for n in range(25):
        write(title=f"供暖问答{n}")
    assert len(article_search(user=centre, query="供暖", on=TODAY)) == 20


# --- Highlighting and the seed -------------------------------------------------------


def test_highlighting_marks_every_match_case_insensitively():
    parts = highlighted(text="Heating 供暖 heating", terms=["heating", "供暖"])
    assert [(p.text, p.hit) for p in parts] == [
        ("Heating", True),
        (" ", False),
        ("供暖", True),
        (" ", False),
        ("heating", True),
    ]


def test_the_excerpt_starts_near_the_first_match():
    text = "前" * 300 + "供暖" + "后" * 300
    cut = excerpt(text=text, terms=["供暖"], length=100)
    assert cut.startswith("…") and cut.endswith("…") and "供暖" in cut and len(cut) == 102


def test_the_demo_articles_are_seeded_once(categories, centre):
    first = knowledge_seed()
    again = knowledge_seed()

    assert (first.created, again.created, again.unchanged) == (len(DEMO_ARTICLES), 0, len(DEMO_ARTICLES))
    found = article_search(user=centre, query="供暖季", on=TODAY)
    # Both say it in the title; the current season's answer says it again. The last season's has expired.
    assert [a.title for a in found] == ["2026—2027年供暖季开始时间", "北京市供暖季时间"]
    assert all(a.versions.count() == 1 for a in KnowledgeArticle.objects.all())
