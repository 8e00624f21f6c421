"""The category and place trees each process keeps for the intake doors: they
follow every save and delete (and the bulk imports), another process's writes
through the shared version, and a cache that does not answer costs queries,
never the intake."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from complaints.forms import IntakeForm
from complaints.models import Category, CategoryQuestion, QuestionType, Region, RegionLevel
from complaints.services import snapshots
from complaints.services.categories import category_tree
from complaints.services.regions import place_tree, regions_import
from complaints.services.snapshots import version_key


@pytest.fixture
def client():
    return Client(headers={"Accept-Language": "en"})


def _category_choices(form) -> dict[str, str]:
    return {value: label for _group, options in form.fields["category"].widget.choices[1:] for value, label in options}


def test_a_renamed_category_is_listed_under_its_new_name(categories):
    noise = categories["noise_construction"]
    assert _category_choices(IntakeForm())[str(noise.pk)] == "施工噪声"

    noise.name = "建筑施工噪声"
    noise.save(update_fields=["name"])

    assert _category_choices(IntakeForm())[str(noise.pk)] == "建筑施工噪声"


def test_a_deactivated_category_is_gone_from_the_form_and_refused_by_every_door(client, form_data, categories):
    noise = categories["noise_construction"]
    assert str(noise.pk) in _category_choices(IntakeForm())

    noise.is_active = False
    noise.save(update_fields=["is_active"])

    assert str(noise.pk) not in _category_choices(IntakeForm())
    response = client.post(reverse("complaints:file"), form_data())
    assert response.status_code == 200
    assert "Choose a category from the list." in response.content.decode()
    body = {
        "category": noise.pk,
        "region": "110101001001",
        "address": "东华门大街 1 号",
        "description": "凌晨两点还在施工",
        "resident_name": "张三",
        "resident_phone": "13800138000",
    }
    answer = APIClient().post("/api/v1/complaints/", body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 400
    assert "category" in answer.json()["fields"]


def test_a_deactivated_group_takes_its_sub_categories_off_the_form(categories):
    group = categories["noise"]
    group.is_active = False
    group.save(update_fields=["is_active"])

    choices = _category_choices(IntakeForm())

    assert str(categories["noise_construction"].pk) not in choices
    assert str(categories["market_food"].pk) in choices


def test_a_deleted_category_is_gone(categories):
    tree = category_tree()
    misc = categories["other_misc"]
    assert misc.pk in tree.by_pk

    misc.delete()

    assert misc.pk not in category_tree().by_pk


def test_a_new_question_appears_on_the_form(categories, form_data):
    assert IntakeForm(data=form_data()).questions == []

    CategoryQuestion.objects.create(
        category=categories["noise_construction"],
        code="noise_kind",
        prompt="是什么声音？",
        prompt_en="What kind of noise?",
        datatype=QuestionType.STRING,
    )

    assert [q.code for q in IntakeForm(data=form_data()).questions] == ["noise_kind"]


def test_a_renamed_street_is_listed_under_its_new_name(beijing):
    street = beijing["donghuamen"]
    street.name = "东华门街道办"
    street.save(update_fields=["name"])

    form = IntakeForm(initial={"district": "110101"})

    assert ("110101001", "东华门街道办") in form.fields["street"].widget.choices


def test_a_bulk_import_of_places_is_seen_at_once(beijing, tmp_path):
    place_tree()
    (tmp_path / "areas.csv").write_text("code,name,provinceCode\n110101,东城区,11\n", encoding="utf-8")
    (tmp_path / "streets.csv").write_text(
        "code,name,provinceCode,areaCode\n110101001,东华门街道,11,110101\n110101099,新街道,11,110101\n",
        encoding="utf-8",
    )
    (tmp_path / "villages.csv").write_text(
        "code,name,provinceCode,streetCode\n110101099001,新社区居委会,11,110101099\n", encoding="utf-8"
    )

    regions_import(source_dir=tmp_path)

    tree = place_tree()
    assert tree.region("110101099001", level=RegionLevel.COMMUNITY).parent.code == "110101099"
    assert [row.label for row in tree.under(parent_code="110101099", level=RegionLevel.COMMUNITY)] == ["新社区"]


def test_another_process_write_is_seen_through_the_shared_version_within_the_check_interval(categories, monkeypatch):
    noise = categories["noise_construction"]
    clock = [1000.0]
    monkeypatch.setattr(snapshots, "monotonic", lambda: clock[0])
    category_tree()
    # A write this process sent no signal for, as another process's is, and the
    # version that process bumped in the shared cache:
    Category.objects.filter(pk=noise.pk).update(name="另一进程改的名字")
    cache.set(version_key("categories"), "bumped elsewhere", timeout=None)

    clock[0] += snapshots.VERSION_CHECK_SECONDS / 2
    with mock.patch.object(cache, "get", wraps=cache.get) as cache_get:
        assert category_tree().by_pk[noise.pk].name == "施工噪声"
    assert cache_get.call_count == 0

    clock[0] += snapshots.VERSION_CHECK_SECONDS
    assert category_tree().by_pk[noise.pk].name == "另一进程改的名字"


@pytest.mark.django_db(transaction=True)
def test_the_version_moves_again_when_the_write_commits(categories):
    key = version_key("categories")
    noise = categories["noise_construction"]
    category_tree()
    with transaction.atomic():
        noise.name = "建筑施工噪声"
        noise.save(update_fields=["name"])
        at_save = cache.get(key)
        # A process that rebuilt now read the rows as they were before the commit.
    assert cache.get(key) != at_save
    assert category_tree().by_pk[noise.pk].name == "建筑施工噪声"


def test_the_trees_cost_no_query_until_something_changes(categories, beijing, django_assert_num_queries):
    category_tree()
    place_tree()

    with django_assert_num_queries(0):
        category_tree()
        place_tree()
        IntakeForm(initial={"district": "110101", "street": "110101001"})


def test_with_the_cache_down_the_form_reads_the_database(form_data, categories):
    with mock.patch.object(cache, "get", side_effect=ConnectionError("cache down")):
        form = IntakeForm(data=form_data())
        assert form.is_valid(), form.errors
        assert form.cleaned_data["category"] == categories["noise_construction"]
        assert form.cleaned_data["community"] == Region.objects.get(code="110101001001")


def test_without_a_shared_cache_a_copy_is_rebuilt_every_minute(categories, monkeypatch):
    """The tests' cache is this process's memory, as a portal's without CACHE_URL:
    another process's write is never announced, so the copy ages out."""
    noise = categories["noise_construction"]
    clock = [1000.0]
    monkeypatch.setattr(snapshots, "monotonic", lambda: clock[0])
    category_tree()
    Category.objects.filter(pk=noise.pk).update(name="另一进程改的名字")

    clock[0] += snapshots.UNSHARED_MAX_AGE_SECONDS / 2
    assert category_tree().by_pk[noise.pk].name == "施工噪声"

    clock[0] += snapshots.UNSHARED_MAX_AGE_SECONDS / 2
    assert category_tree().by_pk[noise.pk].name == "另一进程改的名字"
