"""Report days outside the years reports cover are refused by the form, so period
arithmetic never leaves what a date can hold (9999-12-31 + 1 day was a 500)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    [
        "from=9999-12-30&to=9999-12-31",
        "from=9999-12-27&by=week",
        "from=0001-01-01&to=0001-01-02",
        "to=9999-12-31",
    ],
)
def test_the_trends_page_shows_the_default_range_with_the_error_for_a_day_out_of_range(client, people, query):
    client.force_login(people["dispatcher"])
    response = client.get(f"/desk/reports/trends/?{query}")
    assert response.status_code == 200
    form = response.context["form"]
    assert any(
        error.code in {"out_of_range", "reversed"} for errors in form.errors.as_data().values() for error in errors
    )


def test_the_trends_api_answers_400_naming_the_day_out_of_range(client, people):
    from knox.models import AuthToken

    _, token = AuthToken.objects.create(user=people["dispatcher"])
    response = client.get("/api/v1/reports/trends/?from=9999-12-30&to=9999-12-31", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"from", "to"}
