"""Open311 fixtures: a client system with its key, the categories' extra
questions, the outlines of the two districts the `beijing` fixture has, and a
small client that reads answers the way a strict Open311 client does."""

import json
import re
from dataclasses import dataclass
from datetime import datetime

import pytest
from defusedxml import ElementTree
from django.core.cache import cache
from django.test import Client

from complaints.geo.fixture import DISTRICTS_FIXTURE
from complaints.models import CategoryQuestion, Complaint, QuestionType, RegionLevel
from complaints.open311.keys import open311_client_create
from complaints.services.boundaries import boundaries_import

BASE = "/open311/v2/"
XML_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'
# W3C date and time to the second with a zone, as every date in an answer is written.
W3C_SECONDS = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Throttle counts live in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client_key(db):
    """(APIKey, key) of a civic app."""
    return open311_client_create(name="城市随手拍")


@pytest.fixture
def other_client_key(db):
    return open311_client_create(name="Another app")


@pytest.fixture
def questions(categories):
    """Noise asks when (one choice, required) and what kind (several choices);
    a water outage asks since when (required) and the account number."""
    return {
        "noise_time": CategoryQuestion.objects.create(
            category=categories["noise"],
            code="noise_time",
            prompt="噪声一般在什么时候出现？",
            prompt_en="When does the noise happen?",
            datatype=QuestionType.SINGLE,
            required=True,
            datatype_description="夜间施工须持有许可",
            order=10,
            values=[
                {"key": "night", "name": "夜间", "name_en": "At night"},
                {"key": "daytime", "name": "白天", "name_en": "In the daytime"},
            ],
        ),
        "noise_kind": CategoryQuestion.objects.create(
            category=categories["noise_construction"],
            code="noise_kind",
            prompt="是什么声音？",
            prompt_en="What kind of noise?",
            datatype=QuestionType.MULTI,
            order=10,
            values=[
                {"key": "drilling", "name": "钻孔", "name_en": "Drilling"},
                {"key": "trucks", "name": "渣土车", "name_en": "Trucks"},
                {"key": "music", "name": "音乐", "name_en": "Music"},
            ],
        ),
        "outage_since": CategoryQuestion.objects.create(
            category=categories["water_outage"],
            code="outage_since",
            prompt="从什么时候开始停水？",
            prompt_en="Since when has the water been off?",
            datatype=QuestionType.DATETIME,
            required=True,
            order=10,
        ),
        "account_number": CategoryQuestion.objects.create(
            category=categories["water_outage"],
            code="account_number",
            prompt="用水户号",
            prompt_en="The household's water account number",
            datatype=QuestionType.STRING,
            order=20,
        ),
    }


@pytest.fixture
def district_outlines(beijing):
    """The shipped WGS-84 outlines of 东城区 and 朝阳区, the districts `beijing` has."""
    wanted = {beijing["dongcheng"].code, beijing["chaoyang"].code}
    collection = json.loads(DISTRICTS_FIXTURE.read_text(encoding="utf-8"))
    collection["features"] = [f for f in collection["features"] if f["properties"]["code"] in wanted]
    boundaries_import(collection=collection, level=RegionLevel.DISTRICT)


@dataclass
class Answer:
    status: int
    content_type: str
    body: bytes
    headers: dict

    def xml(self):
        """Parsed by expat, which refuses anything not well-formed."""
        assert self.content_type == "text/xml; charset=utf-8", self.content_type
        assert self.body.startswith(XML_DECLARATION), self.body[:80]
        return ElementTree.fromstring(self.body)

    def json(self):
        assert self.content_type == "application/json; charset=utf-8", self.content_type
        return json.loads(self.body.decode("utf-8"))

    def errors(self, fmt: str) -> list[tuple[int, str]]:
        """The spec's error body, in either format, as (code, description) pairs."""
        if fmt == "xml":
            root = self.xml()
            assert root.tag == "errors"
            assert all([child.tag for child in e] == ["code", "description"] for e in root)
            return [(int(e.findtext("code")), e.findtext("description")) for e in root.findall("error")]
        body = self.json()
        assert isinstance(body, list) and all(list(e) == ["code", "description"] for e in body), body
        return [(e["code"], e["description"]) for e in body]


class Open311:
    """A civic client that reads English: the assertions quote the English messages.
    (Without Accept-Language the portal answers in its default, 简体中文.)"""

    def __init__(self, language: str = "en"):
        self.http = Client(headers={"Accept-Language": language})

    def get(self, path: str, headers: dict | None = None, **params) -> Answer:
        return self._answer(self.http.get(BASE + path, params, headers=headers or {}))

    def post(self, path: str, body: dict | str | bytes, query: str = "", content_type=None, **kwargs) -> Answer:
        from urllib.parse import urlencode

        if isinstance(body, dict):
            body = urlencode(body, doseq=True)
        url = BASE + path + (f"?{query}" if query else "")
        response = self.http.generic(
            "POST", url, body, content_type=content_type or "application/x-www-form-urlencoded", **kwargs
        )
        return self._answer(response)

    def _answer(self, response) -> Answer:
        return Answer(
            status=response.status_code,
            content_type=response["Content-Type"],
            body=response.content,
            headers=dict(response.headers),
        )


@pytest.fixture
def open311(db):
    return Open311()


@pytest.fixture
def open311_zh(db):
    """A client that reads the portal's default language."""
    return Open311(language="zh-hans")


@pytest.fixture
def filing(beijing, categories, rules, questions):
    """The fields of a good POST: construction noise at 多福巷社区 by address_id."""
    return {
        "service_code": "noise.construction",
        "address_id": beijing["duofuxiang"].code,
        "address_string": "东华门大街 1 号",
        "description": "凌晨两点还在施工，噪声很大",
        "first_name": "三",
        "last_name": "张",
        "phone": "13800138000",
        "email": "zhangsan@example.com",
        "device_id": "tt222111",
        "account_id": "acct-123456",
        "attribute[noise_time]": "night",
    }


def w3c(text: str) -> datetime:
    """Strict: the exact W3C form to the second with a zone, nothing else."""
    assert W3C_SECONDS.fullmatch(text), text
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def complaints_count() -> int:
    return Complaint.objects.count()
