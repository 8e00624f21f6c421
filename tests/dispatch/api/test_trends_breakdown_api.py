"""The trends report's breakdown by demand type and channel over the API: the
same numbers as the page, for the same scope."""

import pytest
import time_machine

from complaints.models import Channel
from tests.dispatch.test_trends_breakdown import NOW, RANGE, received  # noqa: F401 (the fixture used below)

pytestmark = pytest.mark.usefixtures("received")


def test_the_api_gives_the_pages_breakdown(api_as, people):
    with time_machine.travel(NOW, tick=False):
        report = api_as(people["dispatcher"]).get("/api/v1/reports/trends/", RANGE).json()

    breakdown = report["breakdown"]
    assert breakdown["total"] == 6
    complaint = next(row for row in breakdown["demand_types"] if row["code"] == "complaint")
    assert complaint == {"code": "complaint", "label": "Complaint", "count": 2, "share": 33.3}
    assert [row["code"] for row in breakdown["channels"]] == Channel.values
    assert {row["code"]: row["count"] for row in breakdown["channels"]}["hotline"] == 2


def test_the_api_breakdown_follows_the_scope(api_as, people):
    with time_machine.travel(NOW, tick=False):
        report = api_as(people["dongcheng_supervisor"]).get("/api/v1/reports/trends/", RANGE).json()

    assert report["breakdown"]["total"] == 3
