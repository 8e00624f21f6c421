"""With the database unreachable every door answers a short 503 with Retry-After,
in its caller's shape, and the outage is logged once, not once per request."""

import logging

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down(monkeypatch):
    from portal.outage import outage_log

    monkeypatch.setattr(outage_log, "since", None)  # each test starts with no outage under way
    state = {"down": True}
    real_execute = CursorWrapper.execute

    def execute(self, sql, params=None):
        if state["down"]:
            raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')
        return real_execute(self, sql, params)

    monkeypatch.setattr(CursorWrapper, "execute", execute)
    return state


def test_a_page_gets_the_503_page_in_the_reader_s_language_with_retry_after(client, categories, database_down):
    response = client.get("/file/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    assert "Briefly unavailable" in response.content.decode()
    chinese = client.get("/file/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert chinese.status_code == 503 and "Briefly unavailable" not in chinese.content.decode()


def test_the_api_and_open311_answer_503_in_their_own_shapes(client, categories, database_down):
    api = client.get("/api/v1/categories/")
    assert api.status_code == 503 and api.json()["code"] == "unavailable"
    open311 = client.get("/open311/v2/services.json")
    assert open311.status_code == 503 and open311.json()[0]["code"] == 503


def test_an_outage_is_logged_once_and_its_end_once(client, categories, database_down, caplog):
    caplog.set_level(logging.INFO)
    for _ in range(5):
        assert client.get("/file/").status_code == 503
    outage = [r for r in caplog.records if r.name == "portal.outage"]
    assert [r.levelname for r in outage] == ["ERROR"]
    assert not [r for r in caplog.records if r.name == "django.request" and r.levelno >= logging.ERROR]
    assert all(r.exc_info is None for r in caplog.records if r.levelno >= logging.ERROR)

    database_down["down"] = False
    assert client.get("/file/").status_code == 200
    outage = [r for r in caplog.records if r.name == "portal.outage"]
    assert [r.levelname for r in outage] == ["ERROR", "WARNING"]


def test_a_query_that_is_wrong_is_still_a_500_not_an_outage(client, monkeypatch):
    from django.db import ProgrammingError

    def broken(self, sql, params=None):
        raise ProgrammingError("column does not exist")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    client.raise_request_exception = False
    assert client.get("/file/").status_code == 500
