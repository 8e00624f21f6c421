"""The browser policy: a Content-Security-Policy that allows no inline script,
Permissions-Policy, and no-store on what may show personal data; static files
carry the same policy headers as pages. The templates hold no inline script for
the policy to break."""

import re
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((BASE_DIR / "templates").rglob("*.html"))
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
EVENT_ATTRIBUTE = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)

pytestmark = pytest.mark.django_db


def _directives(header: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in (part.strip() for part in header.split(";")) if d}


@pytest.mark.parametrize("path", ["/", "/file/", "/track/", "/accounts/login/", "/open/", "/api/docs/"])
def test_every_page_forbids_inline_script_and_framing(client, path, categories, beijing):
    response = client.get(path)
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert "geolocation=(self)" in response["Permissions-Policy"] and "camera=()" in response["Permissions-Policy"]


def test_pages_with_personal_data_are_not_stored(client, submit, people):
    complaint = submit()
    client.force_login(people["donghuamen_handler"])
    for path in [f"/desk/orders/{complaint.tracking_number}/", "/desk/", f"/filed/{complaint.tracking_number}/"]:
        assert "no-store" in client.get(path)["Cache-Control"], path


def test_static_files_carry_the_same_policy_headers_as_pages(client, settings):
    # WhiteNoise serving from the finders, as `make run` serves collected files.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = client.get("/static/css/whistle.css")
    assert response.status_code == 200
    assert _directives(response["Content-Security-Policy"])["script-src"] == ["'self'"]
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" not in response["Cache-Control"]  # static files keep their own caching


def test_the_map_tile_server_is_allowed_to_serve_images(settings):
    from portal.map_tiles import map_tile_origins

    assert map_tile_origins("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == ["https://tile.openstreetmap.org"]
    assert map_tile_origins("https://{s}.tile.example.org/{z}/{x}/{y}.png") == ["https://*.tile.example.org"]
    assert map_tile_origins("") == [] and map_tile_origins("javascript:alert(1)") == []


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(BASE_DIR / "templates")))
def test_no_template_holds_inline_script_or_event_handler_attributes(template):
    text = template.read_text()
    for attributes, body in SCRIPT_TAG.findall(text):
        if "application/json" in attributes:
            continue  # data for a script, never run
        assert "src=" in attributes and not body.strip(), f"inline script in {template.name}"
    assert not EVENT_ATTRIBUTE.search(text), f"an on…= handler in {template.name}"
