import copy
import io
import re

import pytest
from django.core.management import CommandError, call_command

from complaints.models import Category
from complaints.services.categories import categories_import, categories_load
from portal.errors import ActionRefused

pytestmark = pytest.mark.django_db

CODE = re.compile(r"^[a-z0-9_-]+(\.[a-z0-9_-]+)?$")


def _snapshot():
    return list(Category.objects.order_by("code").values_list("code", "name", "name_en", "parent__code", "id"))


def test_shipped_taxonomy_has_at_least_twelve_groups_each_with_sub_categories():
    out = io.StringIO()
    call_command("import_categories", stdout=out)

    groups = Category.objects.filter(parent__isnull=True)
    assert groups.count() >= 12
    for group in groups:
        children = list(group.children.all())
        assert children, group.code
        assert all(child.code.startswith(f"{group.code}.") for child in children)
    for category in Category.objects.all():
        assert CODE.match(category.code)
        assert category.name and category.name_en and category.description
    expected = {"market", "public_services", "housing", "health", "construction", "traffic", "public_order"}
    expected |= {"labour", "education", "city_appearance", "utilities", "noise", "other"}
    assert expected <= set(groups.values_list("code", flat=True))
    assert Category.objects.get(code="noise.construction").parent.code == "noise"
    assert f"{Category.objects.count()} created" in out.getvalue()


def test_reimport_changes_nothing():
    categories_import(data=categories_load())
    before = _snapshot()

    result = categories_import(data=categories_load())

    assert (result.created, result.updated, result.unchanged) == (0, 0, len(before))
    assert _snapshot() == before


def test_reimport_updates_an_edited_category_by_code():
    categories_import(data=categories_load())
    original = Category.objects.get(code="noise.construction")
    data = categories_load()
    data[0]["children"][0]["name"] = "夜间施工噪声"

    result = categories_import(data=data)

    assert (result.created, result.updated) == (0, 1)
    edited = Category.objects.get(code="noise.construction")
    assert (edited.pk, edited.name) == (original.pk, "夜间施工噪声")


def _broken(change):
    data = copy.deepcopy(categories_load())
    change(data)
    return data


@pytest.mark.parametrize(
    "data, message",
    [
        ([], "non-empty list"),
        (_broken(lambda d: d[0].update(code="Noise")), "not a valid category code"),
        (_broken(lambda d: d[0]["children"][0].update(code="market.construction")), "not a valid category code"),
        (_broken(lambda d: d[0]["children"][0].update(code="noise.a.b")), "not a valid category code"),
        (_broken(lambda d: d[1]["children"].append(dict(d[1]["children"][0]))), "appears twice"),
        (_broken(lambda d: d[-1].update(name="")), "bad name"),
        (_broken(lambda d: d[-1].update(sort_order="first")), "bad sort_order"),
    ],
)
def test_bad_data_is_refused_and_writes_nothing(data, message):
    with pytest.raises(ActionRefused, match=message):
        categories_import(data=data)

    assert not Category.objects.exists()


def test_command_refuses_an_unreadable_file(tmp_path):
    bad = tmp_path / "categories.json"
    bad.write_text("{not json", encoding="utf-8")

    with pytest.raises(CommandError, match="Cannot read categories"):
        call_command("import_categories", file=bad)
    with pytest.raises(CommandError, match="Cannot read categories"):
        call_command("import_categories", file=tmp_path / "missing.json")

    assert not Category.objects.exists()
