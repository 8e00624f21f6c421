"""The confirmation page after filing: the tracking number once, a copy button for
browsers that can copy, and the link that opens tracking for this number."""

import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from complaints.models import Complaint

FILE_URL = reverse("complaints:file")


@pytest.fixture
def filed(beijing, categories, rules, django_capture_on_commit_callbacks):
    """A browser (speaking `language`) that has just filed a complaint, and the page it lands on."""

    def _filed(language: str = "en"):
        browser = Client(HTTP_ACCEPT_LANGUAGE=language)
        data = {
            "category": str(categories["noise_construction"].pk),
            "district": "110101",
            "street": "110101001",
            "address": "东华门大街 1 号",
            "description": "凌晨两点还在施工",
            "resident_name": "张三",
            "resident_phone": "13800138000",
            "submission_token": str(uuid.uuid4()),
        }
        with django_capture_on_commit_callbacks(execute=True):
            response = browser.post(FILE_URL, data)
        return browser, Complaint.objects.get(), browser.get(response["Location"]).content.decode()

    return _filed


def _main(html: str) -> str:
    return re.search(r"<main.*?</main>", html, re.S).group(0)


def test_the_page_says_filed_once_in_english(filed):
    _, complaint, html = filed()

    main = _main(html)
    assert main.count("has been filed") == 1
    assert f'id="tracking-number">{complaint.tracking_number}<' in main


def test_the_page_says_submitted_once_in_chinese(filed):
    _, _, html = filed("zh-CN")

    assert _main(html).count("已提交") == 1


def test_the_copy_button_is_hidden_until_a_script_finds_a_clipboard(filed):
    _, complaint, html = filed()

    row = re.search(r'<p class="copy-row" id="copy-row"[^>]*>', html).group(0)
    assert " hidden" in row
    assert f'data-copy="{complaint.tracking_number}"' in html
    assert 'src="/static/js/filed.js"' in html
    # No script written into the page: a strict CSP is coming.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


def test_the_tracking_link_opens_tracking_here_and_asks_for_the_last_four_elsewhere(filed):
    browser, complaint, html = filed()
    path = reverse("complaints:track_detail", args=[complaint.tracking_number])

    assert f'<a href="http://testserver{path}"' in html
    assert browser.get(path).status_code == 200
    elsewhere = Client(HTTP_ACCEPT_LANGUAGE="en").get(path)
    assert elsewhere.status_code == 302
    assert elsewhere["Location"] == f"{reverse('complaints:track')}?tracking_number={complaint.tracking_number}"


def test_the_page_offers_a_new_form(filed):
    _, _, html = filed()

    assert f'<a href="{FILE_URL}">File another complaint</a>' in html
