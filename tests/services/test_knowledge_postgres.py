"""The knowledge search on PostgreSQL: the trigram indexes exist, serve the very
query the search runs (checked with EXPLAIN on enough rows, sequential scans off:
a guard that the index is usable, not a timing), find Chinese substrings, and
simultaneous edits and uses behave. SQLite has no pg_trgm, so only PostgreSQL proves it."""

import importlib
import re
from datetime import date

import pytest
from django.apps import apps as django_apps
from django.db import connection, transaction

from dispatch.models import KnowledgeArticle
from dispatch.selectors.knowledge import article_search, articles_matching
from dispatch.services.knowledge import ArticleInput, article_create, article_update, article_use
from portal.errors import ChangedBySomeoneElse
from tests.services.conftest import at_once

pytestmark = [pytest.mark.services(redis=False), pytest.mark.django_db(transaction=True)]

TODAY = date(2026, 12, 1)
ROWS = 3000
MIGRATION = "dispatch.migrations.0008_knowledge_base"


def _index_definitions() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'dispatch_knowledgearticle'")
        return dict(cursor.fetchall())


def _many_articles(count: int) -> None:
    subjects = ["供暖", "停水", "居住证", "垃圾分类", "养犬", "施工噪声", "物业费", "公交线路"]
    KnowledgeArticle.objects.bulk_create(
        KnowledgeArticle(
            title=f"{subjects[n % len(subjects)]}问答第{n}号",
            answer=f"关于{subjects[(n * 7) % len(subjects)]}的答复，编号{n:05d}。" * 3,
            valid_from=date(2024, 1, 1),
        )
        for n in range(count)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE dispatch_knowledgearticle")


def test_the_trigram_indexes_exist_on_title_and_answer():
    definitions = _index_definitions()
    for name, column in (("knowledge_title_trgm", "title"), ("knowledge_answer_trgm", "answer")):
        assert name in definitions, sorted(definitions)
        assert "USING gin" in definitions[name]
        assert "gin_trgm_ops" in definitions[name]
        # PostgreSQL shows the expression normalised: upper((title)::text), upper(answer).
        assert re.search(rf"upper\(\(?{column}\)?(::text)?\) gin_trgm_ops", definitions[name].lower())


def test_the_search_query_uses_the_trigram_indexes():
    _many_articles(ROWS)
    ranked = articles_matching(terms=["居住证"], category=None, on=TODAY, include_expired=False)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = ranked.explain()
    assert "knowledge_title_trgm" in plan and "knowledge_answer_trgm" in plan, plan


def test_chinese_substrings_are_found_on_postgresql(people):
    _many_articles(200)
    found = article_search(user=people["dispatcher"], query="居住证 问答", on=TODAY)
    assert found and all("居住证" in a.title + a.answer and "问答" in a.title + a.answer for a in found)
    assert len(found) == 20
    assert found[0].title_hits == 2  # both words in the title ("居住证问答第N号") rank first


def test_the_trigram_migration_step_is_reversible(people):
    migration = importlib.import_module(MIGRATION)
    with connection.schema_editor() as editor:
        migration.drop_trigram_indexes(django_apps, editor)
    assert "knowledge_title_trgm" not in _index_definitions()
    with connection.schema_editor() as editor:
        migration.create_trigram_indexes(django_apps, editor)
    assert {"knowledge_title_trgm", "knowledge_answer_trgm"} <= set(_index_definitions())


def _input(title: str) -> ArticleInput:
    return ArticleInput(
        title=title, answer="本市法定供暖期为每年11月15日至次年3月15日。", category_ids=[], valid_from=date(2024, 1, 1)
    )


def test_two_editors_saving_at_once_give_one_success_and_one_refusal(people):
    editor = people["dispatcher"]
    article = article_create(user=editor, data=_input("供暖季时间"))

    outcomes = at_once(
        lambda: article_update(user=editor, article_id=article.pk, version=1, data=_input("甲的修改")),
        lambda: article_update(user=editor, article_id=article.pk, version=1, data=_input("乙的修改")),
    )

    successes = [o for o in outcomes if isinstance(o, KnowledgeArticle)]
    refusals = [o for o in outcomes if isinstance(o, ChangedBySomeoneElse)]
    assert (len(successes), len(refusals)) == (1, 1), outcomes
    article.refresh_from_db()
    assert (article.version, article.title) == (2, successes[0].title)
    assert list(article.versions.order_by("version").values_list("version", flat=True)) == [1, 2]


def test_simultaneous_uses_all_count(people):
    editor = people["dispatcher"]
    article = article_create(user=editor, data=_input("供暖季时间"))

    outcomes = at_once(*[lambda: article_use(article_id=article.pk, user=editor, on=TODAY)] * 4)

    assert all(isinstance(o, KnowledgeArticle) for o in outcomes), outcomes
    article.refresh_from_db()
    assert article.use_count == 4
