"""What README's walkthrough tells a resident is what the portal does: the demo
place as the lists name it, and the language the pages come in."""

import csv
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from complaints.models import RegionLevel
from complaints.selectors.reference import place_name
from tests.factories import RegionFactory

ROOT = Path(settings.BASE_DIR)
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _division_name(code: str) -> str:
    with open(ROOT / "complaints/data/beijing/villages.csv", encoding="utf-8") as rows:
        return next(row["name"] for row in csv.DictReader(rows) if row["code"] == code)


def test_the_walkthrough_names_the_demo_place_as_the_lists_do(db):
    committee = _division_name("110101001001")
    listed = place_name(region=RegionFactory.build(name=committee, level=RegionLevel.COMMUNITY))

    walkthrough = README.split("## Five-minute walkthrough", 1)[1].split("\n## ", 1)[0]
    assert f"place 东城区 › 东华门街道 › {listed} " in walkthrough
    # The committee's name is the unit's, and the walkthrough says so.
    assert committee != listed and committee in walkthrough


@pytest.mark.parametrize(
    ("accept_language", "html_lang"),
    [
        ("en-US,en;q=0.9", "en"),
        ("fr-FR,fr;q=0.9,en;q=0.8", "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh-hans"),
        ("zh-TW", "zh-hans"),
        ("de-DE", "zh-hans"),
        ("", "zh-hans"),
    ],
)
def test_the_page_follows_the_browsers_languages_as_readme_says(db, accept_language, html_lang):
    response = Client(HTTP_ACCEPT_LANGUAGE=accept_language).get(reverse("complaints:home"))

    assert f'<html lang="{html_lang}">' in response.content.decode()


def test_the_language_menu_overrides_the_browser_for_the_session_as_readme_says(db):
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})

    assert '<html lang="zh-hans">' in browser.get(reverse("complaints:home")).content.decode()
    cookie = browser.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert not cookie["max-age"] and not cookie["expires"]  # kept until the browser is closed
    assert "The language menu in the header overrides the browser" in " ".join(README.split())
    assert "kept in a cookie until the browser is closed" in " ".join(README.split())


def test_readme_no_longer_says_chinese_whatever_the_browser():
    assert not re.search(r"speaks 简体中文 by default \(the language menu", README)
