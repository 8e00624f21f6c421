"""A category's extra questions: the checking of answers, the choices a list
question must have (admin and seed alike), and the shipped seed."""

import copy

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from complaints.models import CategoryQuestion, QuestionType
from complaints.services.categories import categories_import, categories_load
from complaints.services.questions import answers_clean
from complaints.services.questions_seed import questions_load, questions_seed
from dispatch.services.seed import reference_seed
from portal.errors import ActionRefused

CHOICES = [{"key": "night", "name": "夜间", "name_en": "At night"}, {"key": "day", "name": "白天"}]


@pytest.fixture
def asked(categories):
    water, noise = categories["water_outage"], categories["noise"]
    make = CategoryQuestion.objects.create
    return {
        "since": make(category=water, code="since", prompt="何时起", datatype=QuestionType.DATETIME, required=True),
        "count": make(category=water, code="count", prompt="户数", datatype=QuestionType.NUMBER),
        "when": make(category=noise, code="when", prompt="何时", datatype=QuestionType.SINGLE, values=CHOICES),
        "where": make(category=water, code="where", prompt="何处", datatype=QuestionType.MULTI, values=CHOICES),
        "note": make(
            category=water, code="note", prompt="请保持电话畅通", datatype=QuestionType.STRING, variable=False
        ),
    }


def _errors(category, raw) -> dict:
    with pytest.raises(ValidationError) as caught:
        answers_clean(category=category, raw=raw)
    return {key: messages[0] for key, messages in caught.value.message_dict.items()}


def test_good_answers_are_kept_as_given(categories, asked):
    raw = {"since": "2026-12-01T08:30+08:00", "count": "12", "where": ["day", "night", "day"]}

    assert answers_clean(category=categories["water_outage"], raw=raw) == {
        "since": "2026-12-01T08:30+08:00",
        "count": "12",
        "where": ["day", "night"],
    }


@pytest.mark.parametrize(
    ("raw", "errors"),
    [
        ({}, {"answers.since": "Answer this question."}),
        ({"since": "   "}, {"answers.since": "Answer this question."}),
        ({"since": "yesterday"}, {"answers.since": "Give a date and time, such as 2026-12-01T08:30+08:00."}),
        ({"since": "2026-12-01T08:30", "count": "twelve"}, {"answers.count": "Give a number."}),
        ({"since": "2026-12-01T08:30", "count": "NaN"}, {"answers.count": "Give a number."}),
        ({"since": "2026-12-01T08:30", "where": ["noon"]}, {"answers.where": "Choose from the list."}),
        ({"since": ["2026-12-01T08:30", "2026-12-02T08:30"]}, {"answers.since": "Give one answer."}),
        ({"since": "2" * 501}, {"answers.since": "Keep it under 500 characters."}),
        ({"since": "2026-12-01T08:30", "note": "x"}, {"answers.note": "This category asks no question “note”."}),
        (
            {"since": "2026-12-01T08:30", "colour": "red"},
            {"answers.colour": "This category asks no question “colour”."},
        ),
    ],
)
def test_bad_answers_are_refused_per_question(categories, asked, raw, errors):
    assert _errors(categories["water_outage"], raw) == errors


def test_a_groups_question_is_asked_of_its_sub_categories(categories, asked):
    category = categories["noise_construction"]

    assert answers_clean(category=category, raw={"when": "night"}) == {"when": "night"}
    assert _errors(category, {"when": "noon"}) == {"answers.when": "Choose from the list."}


def test_an_inactive_question_is_not_asked(categories, asked):
    asked["since"].is_active = False
    asked["since"].save(update_fields=["is_active"])

    assert answers_clean(category=categories["water_outage"], raw={}) == {}


def test_without_require_a_required_question_may_go_unanswered_but_bad_answers_are_still_refused(categories, asked):
    water = categories["water_outage"]

    assert answers_clean(category=water, raw={}, require=False) == {}
    assert answers_clean(category=water, raw={"count": "3"}, require=False) == {"count": "3"}
    with pytest.raises(ValidationError) as caught:
        answers_clean(category=water, raw={"count": "three", "colour": "red"}, require=False)
    assert set(caught.value.message_dict) == {"answers.count", "answers.colour"}


# --- the choices a question has -----------------------------------------------------


def _question(**fields):
    defaults = {"code": "q", "prompt": "问题", "datatype": QuestionType.SINGLE, "values": CHOICES}
    return CategoryQuestion(**{**defaults, **fields})


@pytest.mark.parametrize(
    "values",
    [
        [],
        None,
        "night,day",
        [{"key": "night"}],
        [{"name": "夜间"}],
        [{"key": "night", "name": "夜间", "colour": "red"}],
        [{"key": "night", "name": ""}],
        [{"key": "", "name": "夜间"}],
        [{"key": 1, "name": "夜间"}],
        [{"key": "a b", "name": "夜间"}],
        [{"key": "night", "name": "夜间"}, {"key": "night", "name": "晚上"}],
        ["night"],
    ],
)
def test_a_list_question_needs_well_formed_choices_with_unique_keys(categories, values):
    question = _question(category=categories["noise"], values=values)

    with pytest.raises(ValidationError) as caught:
        question.full_clean()
    assert "values" in caught.value.message_dict


def test_other_questions_have_no_choices(categories):
    question = _question(category=categories["noise"], datatype=QuestionType.STRING)

    with pytest.raises(ValidationError) as caught:
        question.full_clean()
    assert caught.value.message_dict["values"] == ["Only a list question has choices; leave this empty."]
    _question(category=categories["noise"], datatype=QuestionType.STRING, values=[]).full_clean()


def test_a_line_that_takes_no_answer_is_never_required(categories):
    question = _question(
        category=categories["noise"], datatype=QuestionType.STRING, values=[], variable=False, required=True
    )

    with pytest.raises(ValidationError) as caught:
        question.full_clean()
    assert "required" in caught.value.message_dict


def test_good_choices_pass(categories):
    _question(category=categories["noise"], datatype=QuestionType.MULTI).full_clean()


# --- the admin ------------------------------------------------------------------------


@pytest.fixture
def staff(admin_client):
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return admin_client


def _category_form(category, **question):
    data = {
        "code": category.code,
        "name": category.name,
        "name_en": category.name_en,
        "parent": category.parent_id or "",
        "description": category.description,
        "default_priority": category.default_priority,
        "duplicate_radius_m": "",
        "duplicate_window_hours": "",
        "sort_order": category.sort_order,
        "is_active": "on",
        "questions-TOTAL_FORMS": "1",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    defaults = {"code": "since", "prompt": "何时起", "prompt_en": "", "datatype": "string", "variable": "on"}
    defaults |= {"datatype_description": "", "values": "", "order": "0", "is_active": "on"}
    data |= {f"questions-0-{key}": value for key, value in {**defaults, **question}.items()}
    return data


def test_the_category_admin_edits_its_questions(staff, categories):
    category = categories["water_outage"]
    url = reverse("admin:complaints_category_change", args=[category.pk])

    assert 'name="questions-TOTAL_FORMS"' in staff.get(url).content.decode()
    response = staff.post(url, _category_form(category, required="on"))

    assert response.status_code == 302, response.content.decode()[:2000]
    question = CategoryQuestion.objects.get(category=category)
    assert (question.code, question.datatype, question.required, question.values) == ("since", "string", True, [])


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ({"datatype": "singlevaluelist", "values": ""}, "A list question needs its choices"),
        (
            {"datatype": "singlevaluelist", "values": '[{"key": "a", "name": "甲"}, {"key": "a", "name": "乙"}]'},
            "appears twice",
        ),
        ({"datatype": "string", "values": '[{"key": "a", "name": "甲"}]'}, "Only a list question has choices"),
    ],
)
def test_the_admin_refuses_choices_that_do_not_fit_the_type(staff, categories, question, message):
    category = categories["water_outage"]
    url = reverse("admin:complaints_category_change", args=[category.pk])

    response = staff.post(url, _category_form(category, **question))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CategoryQuestion.objects.exists()


def test_the_admin_keeps_good_choices(staff, categories):
    category = categories["noise"]
    url = reverse("admin:complaints_category_change", args=[category.pk])

    response = staff.post(
        url,
        _category_form(category, code="when", datatype="singlevaluelist", values='[{"key": "night", "name": "夜间"}]'),
    )

    assert response.status_code == 302
    assert CategoryQuestion.objects.get().values == [{"key": "night", "name": "夜间"}]


# --- the seed -------------------------------------------------------------------------


@pytest.fixture
def taxonomy(db):
    categories_import(data=categories_load())


def _snapshot():
    return list(
        CategoryQuestion.objects.order_by("category__code", "code").values_list(
            "category__code", "code", "prompt", "prompt_en", "datatype", "required", "values", "pk"
        )
    )


def test_the_shipped_questions_ask_what_handlers_need(taxonomy):
    result = questions_seed()

    assert result.created == CategoryQuestion.objects.count() >= 9
    for code in ("utilities.water", "utilities.heating", "utilities.power", "utilities.gas"):
        asked = {q.code: q for q in CategoryQuestion.objects.filter(category__code=code)}
        assert (asked["outage_since"].datatype, asked["outage_since"].required) == ("datetime", True)
        assert (asked["account_number"].datatype, asked["account_number"].required) == ("string", False)
    noise = CategoryQuestion.objects.get(category__code="noise", code="noise_time")
    assert (noise.datatype, noise.required) == ("singlevaluelist", True)
    assert {"night", "daytime", "all_day", "irregular"} == {choice["key"] for choice in noise.values}
    for question in CategoryQuestion.objects.all():
        question.full_clean()
        assert question.prompt and question.prompt_en


def test_seeding_again_changes_nothing(taxonomy):
    questions_seed()
    before = _snapshot()

    again = questions_seed()

    assert (again.created, again.updated, again.unchanged) == (0, 0, len(before))
    assert _snapshot() == before


def test_seeding_updates_an_edited_question_in_place(taxonomy):
    questions_seed()
    question = CategoryQuestion.objects.get(category__code="utilities.water", code="outage_since")
    question.prompt = "改过的"
    question.save(update_fields=["prompt"])

    result = questions_seed()

    assert (result.created, result.updated) == (0, 1)
    question.refresh_from_db()
    assert question.prompt == "从什么时候开始停水？"


def test_a_question_added_in_the_admin_survives_a_reseed(taxonomy):
    questions_seed()
    CategoryQuestion.objects.create(
        category_id=CategoryQuestion.objects.first().category_id, code="extra", prompt="补充", datatype="string"
    )

    questions_seed()

    assert CategoryQuestion.objects.filter(code="extra").exists()


def _broken(mutate):
    data = copy.deepcopy(questions_load())
    mutate(data)
    return data


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.append({"category": "nonexistent", "questions": []}), "no such category"),
        (lambda d: d[0]["questions"][0].update(values=[]), "A list question needs its choices"),
        (lambda d: d[0]["questions"][0].update(datatype="colour"), "datatype"),
        (lambda d: d[1]["questions"][0].update(values=[{"key": "a", "name": "甲"}]), "Only a list question"),
        (lambda d: d[1]["questions"][0].update(colour="red"), "unknown fields: colour"),
        (lambda d: d[1]["questions"][0].pop("prompt"), "prompt"),
        (lambda d: d[1]["questions"].append("outage"), "is an object with a code"),
        (lambda d: d[1].update(questions="outage"), "must be a list"),
    ],
)
def test_a_bad_entry_refuses_the_whole_seed(taxonomy, mutate, message):
    with pytest.raises(ActionRefused, match=message):
        questions_seed(data=_broken(mutate))

    assert not CategoryQuestion.objects.exists()


def test_the_reference_seed_seeds_the_questions(db):
    results = reference_seed()

    assert results["questions"].created == CategoryQuestion.objects.count() > 0


# --- what the handler sees ------------------------------------------------------------


def test_answers_are_shown_with_their_questions_and_choice_names(categories, asked):
    from complaints.selectors.answers import answers_shown
    from tests.factories import ComplaintFactory, RegionFactory

    asked["since"].is_active = False  # retired since: still labels its answer
    asked["since"].save(update_fields=["is_active"])
    complaint = ComplaintFactory(
        category=categories["water_outage"],
        region=RegionFactory(
            code="110101", name="东城区", level="district", parent=RegionFactory(code="11", level="city")
        ),
        answers={"where": ["day", "night"], "since": "2026-12-01T00:30:00Z", "count": "12", "gone": "旧答案"},
    )

    shown = [(a.question, a.answer) for a in answers_shown(complaint=complaint)]

    assert shown == [
        ("何时起", "2026-12-01 08:30"),
        ("户数", "12"),
        ("何处", "白天, At night"),
        ("gone", "旧答案"),
    ]


def test_the_order_page_shows_the_answers_to_its_handler(client, submit, units, asked):
    from dispatch.models import Role
    from tests.factories import MembershipFactory, UserFactory

    complaint = submit(category="water_outage", answers={"since": "2026-12-01T08:30", "where": ["night"]})
    handler = UserFactory(username="water_handler")
    MembershipFactory(user=handler, unit=units["water"], role=Role.HANDLER)
    client.force_login(handler)

    html = client.get(
        reverse("dispatch:order", args=[complaint.tracking_number]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert "Answers to the category" in html
    assert "<dt>何时起</dt><dd>2026-12-01 08:30</dd>" in html
    assert "<dt>何处</dt><dd>At night</dd>" in html


def test_an_order_without_answers_shows_no_answers_panel(client, submit, people):
    complaint = submit()
    client.force_login(people["donghuamen_handler"])

    html = client.get(
        reverse("dispatch:order", args=[complaint.tracking_number]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert complaint.tracking_number in html
    assert "Answers to the category" not in html
