"""The issue's done-when for staff: a street handler works an order end to end with
nothing but the REST API and a personal token — queue, sign for, contact, whistle
a department (which reports with its own token), resolve."""

from complaints.models import ComplaintStatus
from dispatch.models import AssignmentRole, AssignmentStatus


def ok(response) -> dict:
    assert response.status_code == 200, response.content
    return response.json()


def test_a_street_handler_works_an_order_to_resolved_with_only_tokens(submit, people, units, api_as):
    complaint = submit()
    street = api_as(people["donghuamen_handler"])

    (unit,) = ok(street.get("/api/v1/units/mine/"))
    assert (unit["code"], unit["open_count"]) == ("s-110101001", 1)

    queue = ok(street.get(f"/api/v1/units/{unit['id']}/queue/"))
    (row,) = queue["results"]
    assert (row["tracking_number"], row["status"]) == (complaint.tracking_number, "assigned")
    order_url = f"/api/v1/orders/{row['tracking_number']}/"

    order = ok(street.get(order_url))
    assert order["resident"] == {"name": "张三", "phone": "13800138000", "email": None, "masked": False}
    assert "accept" in order["actions"]

    order = ok(street.post(f"{order_url}accept/", {"version": row["version"]}, format="json"))["order"]
    assert (order["status"], order["assignment"]["status"]) == ("accepted", "accepted")

    done = ok(
        street.post(
            f"{order_url}contact/",
            {"note": "10:20 电话联系，下午到现场", "version": order["assignment"]["version"]},
            format="json",
        )
    )
    assert done["detail"] == "Contact recorded."
    order = done["order"]
    assert order["status"] == "in_progress"
    market_unit = next(u for u in order["whistle_targets"] if u["code"] == "dep-110101-market")

    order = ok(
        street.post(
            f"{order_url}whistle/",
            {"units": [market_unit["id"]], "message": "请到现场查处", "version": order["assignment"]["version"]},
            format="json",
        )
    )["order"]
    assert [(s["unit"]["code"], s["report_state"]) for s in order["summoned"]] == [("dep-110101-market", "waiting")]

    market = api_as(people["market_handler"])
    (summons_row,) = ok(market.get(f"/api/v1/units/{units['dc_market'].pk}/queue/"))["results"]
    assert (summons_row["tracking_number"], summons_row["role"]) == (complaint.tracking_number, "co_handler")
    seen_by_market = ok(market.get(order_url))
    assert seen_by_market["actions"] == ["whistle_report"]
    reported = ok(
        market.post(
            f"{order_url}whistle/report/",
            {"note": "已到现场，责令停工", "version": seen_by_market["summons"]["version"]},
            format="json",
        )
    )
    assert reported["order"]["summons"]["report_state"] == "reported"

    order = ok(street.get(order_url))
    assert order["summoned"][0]["report_note"] == "已到现场，责令停工"
    resolved = ok(
        street.post(
            f"{order_url}resolve/",
            {"reply": "已责令施工方夜间停工", "version": order["assignment"]["version"]},
            format="json",
        )
    )
    assert resolved["order"]["status"] == "resolved"

    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RESOLVED
    lead = complaint.assignments.get(role=AssignmentRole.LEAD)
    assert lead.status == AssignmentStatus.RESOLVED
    assert complaint.assignments.get(role=AssignmentRole.CO_HANDLER).status == AssignmentStatus.RESOLVED
    # Tokens only: no session was ever opened.
    assert "sessionid" not in street.cookies and "sessionid" not in market.cookies
    assert ok(street.get(f"/api/v1/units/{unit['id']}/queue/"))["results"] == []
