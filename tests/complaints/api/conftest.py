"""The resident's API: an anonymous JSON client, English answers, a fresh throttle
for each test, and district outlines for 东城区 and 朝阳区 (boxes around their
real centres), so a point can be placed."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from complaints.models import CategoryQuestion, QuestionType, RegionBoundary
from dispatch.models import AssignmentStatus
from dispatch.services.assignments import assignment_accept, assignment_record_contact, assignment_resolve

# (min_lng, min_lat, max_lng, max_lat)
DONGCHENG_BOX = (116.38, 39.86, 116.44, 39.97)
CHAOYANG_BOX = (116.44, 39.80, 116.60, 40.10)
IN_DONGCHENG = {"latitude": 39.915, "longitude": 116.41}
IN_CHAOYANG = {"latitude": 39.92, "longitude": 116.50}
IN_SHANGHAI = {"latitude": 31.2304, "longitude": 121.4737}


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    client = APIClient()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _box(region, box):
    min_lng, min_lat, max_lng, max_lat = box
    ring = [[min_lng, min_lat], [max_lng, min_lat], [max_lng, max_lat], [min_lng, max_lat], [min_lng, min_lat]]
    return RegionBoundary.objects.create(
        region=region,
        geometry={"type": "Polygon", "coordinates": [ring]},
        min_lng=min_lng,
        min_lat=min_lat,
        max_lng=max_lng,
        max_lat=max_lat,
    )


@pytest.fixture
def outlines(beijing):
    return {"dongcheng": _box(beijing["dongcheng"], DONGCHENG_BOX), "chaoyang": _box(beijing["chaoyang"], CHAOYANG_BOX)}


@pytest.fixture
def questions(categories):
    """Water outage asks since when (required) and the account number; the noise
    group asks when it happens (a required list)."""
    water = categories["water_outage"]
    return {
        "outage_since": CategoryQuestion.objects.create(
            category=water,
            code="outage_since",
            prompt="从什么时候开始停水？",
            prompt_en="Since when?",
            datatype=QuestionType.DATETIME,
            required=True,
            order=10,
        ),
        "account_number": CategoryQuestion.objects.create(
            category=water,
            code="account_number",
            prompt="用水户号",
            prompt_en="Account number",
            datatype=QuestionType.STRING,
            order=20,
        ),
        "noise_time": CategoryQuestion.objects.create(
            category=categories["noise"],
            code="noise_time",
            prompt="噪声一般在什么时候出现？",
            prompt_en="When does it happen?",
            datatype=QuestionType.SINGLE,
            required=True,
            values=[
                {"key": "night", "name": "夜间", "name_en": "At night"},
                {"key": "daytime", "name": "白天", "name_en": "In the daytime"},
            ],
        ),
    }


def resolve(complaint, people):
    """Worked to `resolved` by 东华门街道 the way its handler would."""
    handler = people["donghuamen_handler"]
    assignment = complaint.assignments.get(status=AssignmentStatus.ASSIGNED)
    assignment_accept(user=handler, assignment_id=assignment.pk)
    assignment_record_contact(user=handler, assignment_id=assignment.pk, note="电话联系了张先生")
    assignment_resolve(user=handler, assignment_id=assignment.pk, reply="已责令施工方夜间停工")
    complaint.refresh_from_db()
    return complaint


@pytest.fixture
def body(beijing, categories, rules, questions):
    """A filing as an app sends it: construction noise at 多福巷社区, the noise question
    answered. An override of `...` leaves that field out."""

    def _body(**overrides):
        data = {
            "category": categories["noise_construction"].pk,
            "region": "110101001001",
            "address": "东华门大街 1 号",
            "description": "凌晨两点还在施工，噪声很大",
            "resident_name": "张三",
            "resident_phone": "138 0013 8000",
            "answers": {"noise_time": "night"},
        }
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not ...}

    return _body
