"""With debug off, every failure answers with the portal's own page (or the API's and
Open311's own bodies), never Django's debug page or its bare English one."""

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.portal.error_urls")]


@pytest.fixture(autouse=True)
def _debug_off(settings):
    settings.DEBUG = False
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False


@pytest.fixture
def quiet_client():
    # A real browser's view: the server's exception becomes a 500 answer, not a test error.
    return Client(raise_request_exception=False)


def test_missing_page_is_the_portals_own_404_in_chinese_by_default(client):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert [t.name for t in response.templates][0] == "404.html"
    assert '<html lang="zh-hans">' in html
    assert "URLconf" not in html and "Using the URLconf" not in html


def test_missing_page_speaks_english_to_an_english_browser(client):
    response = client.get("/no-such-page/", headers={"accept-language": "en"})
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html
    assert "File a complaint" in html


def test_missing_page_follows_the_language_cookie(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/no-such-page/", headers={"accept-language": "zh-hans"})
    assert "Page not found" in response.content.decode()


def test_permission_denied_is_the_portals_own_403(client):
    response = client.get("/test-forbidden/")
    html = response.content.decode()
    assert response.status_code == 403
    assert [t.name for t in response.templates][0] == "403.html"
    assert "403 Forbidden" not in html


def test_permission_denied_in_english(client):
    response = client.get("/test-forbidden/", headers={"accept-language": "en"})
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()


def test_broken_view_shows_the_bilingual_500_page(quiet_client):
    response = quiet_client.get("/test-broken/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "服务器出错了" in html and "Something went wrong on our side" in html
    assert "Server Error (500)" not in html


def test_500_page_renders_with_the_database_down(quiet_client, monkeypatch):
    from django.db.backends.base.base import BaseDatabaseWrapper

    def no_database(*args, **kwargs):
        raise RuntimeError("database is down")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", no_database)
    response = quiet_client.get("/test-broken/")
    assert response.status_code == 500
    assert "服务器出错了" in response.content.decode()


def test_api_paths_keep_the_api_error_shape(client, quiet_client):
    missing = client.get("/api/v1/no-such-thing/")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"
    broken = quiet_client.get("/api/test-broken/")
    assert broken.status_code == 500
    assert broken["Content-Type"].startswith("application/json")
    assert broken.json()["code"] == "server_error"


def test_open311_paths_keep_open311s_error_list(quiet_client):
    xml = quiet_client.get("/open311/test-broken.xml")
    assert xml.status_code == 500
    assert xml.content.startswith(b"<?xml") and b"<code>500</code>" in xml.content
    missing = quiet_client.get("/open311/v9/no-such-thing.json")
    assert missing.status_code == 404
    assert missing.json()[0]["code"] == 404
