"""The situations the API access matrix (tests/test_api_access_matrix.py) tries each
endpoint in: an order routed to 东华门街道办事处 (construction noise at 多福巷社区),
brought by the services, not by HTTP, to the state its action needs. Each returns
what the request is made of: path parameters, query and a body valid right now."""

import io
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from complaints.api.photo_links import photo_link
from complaints.models import Complaint, Photo, PhotoKind
from complaints.services.photos import photos_attach
from dispatch.models import Assignment, AssignmentRole, Notification, ReplyTemplate, TargetKind
from dispatch.services.alerts import alerts_sweep
from dispatch.services.assignments import (
    assignment_accept,
    assignment_hand_down,
    assignment_record_contact,
    assignment_resolve,
)
from dispatch.services.extensions import extension_request
from dispatch.services.knowledge import ArticleInput, article_write_new
from dispatch.services.merge import order_merge
from dispatch.services.returns import assignment_return
from dispatch.services.whistle import whistle_blow
from tests.factories import RoutingRuleFactory

BEIJING = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 11, 16, 9, 0, tzinfo=BEIJING)

# The resident's personal data: only the units handling the order (and the 12345
# centre) may read it; supervisors see it masked, everyone else nothing.
RESIDENT_NAME = "张三"
RESIDENT_PHONE = "13800138000"
RESIDENT_EMAIL = "zhangsan@example.com"
PERSONAL_DATA = (RESIDENT_NAME, RESIDENT_PHONE, RESIDENT_EMAIL)


@dataclass(frozen=True)
class World:
    people: dict
    units: dict
    categories: dict
    submit: object

    @property
    def handler(self):
        return self.people["donghuamen_handler"]

    def order(self, **overrides) -> Complaint:
        return self.submit(resident_email=RESIDENT_EMAIL, **overrides)


@dataclass(frozen=True)
class Situation:
    params: dict = field(default_factory=dict)
    query: dict = field(default_factory=dict)
    body: dict = field(default_factory=dict)


def lead_of(complaint: Complaint) -> Assignment:
    return complaint.assignments.filter(role=AssignmentRole.LEAD).latest("assigned_at", "pk")


def on_order(complaint: Complaint, **body) -> Situation:
    return Situation(params={"tracking_number": complaint.tracking_number}, body=body)


def unit_action(complaint: Complaint, **body) -> Situation:
    """A unit's action carries the lead assignment's version."""
    return on_order(complaint, **body, version=lead_of(complaint).version)


def centre_action(complaint: Complaint, **body) -> Situation:
    """A 12345 centre's action carries the complaint's version."""
    complaint.refresh_from_db()
    return on_order(complaint, **body, version=complaint.version)


# --- Orders in the state an action needs ------------------------------------------


def assigned(w: World) -> Complaint:
    return w.order()


def accepted(w: World) -> Complaint:
    complaint = w.order()
    assignment_accept(user=w.handler, assignment_id=lead_of(complaint).pk)
    return complaint


def in_progress(w: World) -> Complaint:
    complaint = accepted(w)
    assignment_record_contact(user=w.handler, assignment_id=lead_of(complaint).pk, note="10:20 电话联系了市民")
    return complaint


def summoning(w: World, complaint: Complaint) -> Assignment:
    """东城区市场监督管理局 summoned to the order (吹哨)."""
    (summons,) = whistle_blow(
        user=w.handler,
        assignment_id=lead_of(complaint).pk,
        unit_ids=[w.units["dc_market"].pk],
        message="请到现场核查施工许可",
        version=None,
    )
    return summons


def in_progress_with_summons(w: World) -> Complaint:
    complaint = in_progress(w)
    summoning(w, complaint)
    return complaint


def handed_down(w: World) -> Complaint:
    """Handed down to 银闸社区 (not to 多福巷社区, whose handler is one of the roles)."""
    complaint = w.order()
    assignment_hand_down(user=w.handler, assignment_id=lead_of(complaint).pk, community_id=w.units["yinzha"].pk)
    return complaint


def resolved(w: World) -> Complaint:
    complaint = in_progress(w)
    assignment_resolve(user=w.handler, assignment_id=lead_of(complaint).pk, reply="已责令施工方夜间停工")
    return complaint


def unrouted(w: World) -> Complaint:
    """`other` has no routing rule: it waits in triage, and no unit holds it."""
    return w.order(category="other_misc")


def returned(w: World) -> Complaint:
    """Returned by 东华门 (退单); a fallback rule to 东城区人民政府 lets it be routed again."""
    RoutingRuleFactory(
        category=w.categories["noise"], target_kind=TargetKind.FIXED, target_unit=w.units["dongcheng"], priority=-1
    )
    complaint = w.order()
    assignment_return(user=w.handler, assignment_id=lead_of(complaint).pk, reason="not_our_remit")
    return complaint


def unplaced(w: World) -> Complaint:
    """Only its district is known: the 12345 centre confirms the place."""
    return w.order(region="dongcheng", place_to_confirm=True, address="东城区某胡同")


def overdue(w: World) -> Complaint:
    """Filed on Saturday, nobody has called the resident back by Monday."""
    with time_machine.travel(MONDAY - timedelta(days=2), tick=False):
        return w.order()


# --- The situations, one per kind of request ----------------------------------------


def any_order(w: World) -> Situation:
    """Reference data and lists: an order exists whose personal data must not leak."""
    assigned(w)
    return Situation()


def to_accept(w):
    return unit_action(assigned(w))


def to_contact(w):
    return unit_action(accepted(w), note="10:20 电话联系了市民")


def to_note(w):
    return on_order(in_progress_with_summons(w), note="已约施工方周一面谈")


def to_resolve(w):
    return unit_action(in_progress_with_summons(w), reply="已责令施工方夜间停工")


def to_hand_down(w):
    return unit_action(assigned(w), community="c-110101001002")


def to_recall(w):
    return unit_action(handed_down(w))


def to_return(w):
    return unit_action(assigned(w), reason="not_our_remit")


def to_whistle(w):
    return unit_action(in_progress(w), units=[w.units["dc_market"].pk], message="请到现场核查施工许可")


def to_report(w):
    complaint = accepted(w)
    summons = summoning(w, complaint)
    return on_order(complaint, note="已到现场", version=summons.version)


def to_ask_more_time(w):
    complaint = accepted(w)
    due = lead_of(complaint).resolve_due + timedelta(days=3)
    return unit_action(complaint, resolve_due=due.isoformat(), reason="等待业主大会表决")


def to_read_order(w):
    return on_order(in_progress_with_summons(w))


def to_list_templates(w):
    """东华门's own reply template and the centre's, on an order a department is summoned to."""
    ReplyTemplate.objects.create(unit=w.units["donghuamen"], purpose="resolve", title="已办结", text="已责令停工")
    ReplyTemplate.objects.create(unit=None, purpose="contact", title="已联系", text="已电话联系市民")
    return on_order(in_progress_with_summons(w))


def to_dispatch(w):
    return centre_action(unrouted(w), unit="s-110101001", note="属街道管辖")


def to_reroute(w):
    return centre_action(returned(w))


def to_recategorise(w):
    return centre_action(unrouted(w), category=w.categories["noise_construction"].pk)


def to_set_priority(w):
    return centre_action(assigned(w), priority="urgent")


def to_reject(w):
    return centre_action(returned(w), reason="不属于12345受理范围")


def to_merge(w):
    lead = w.order()
    follower = w.order(description="同一工地夜间施工，又来投诉")
    return centre_action(follower, lead=lead.tracking_number)


def to_unmerge(w):
    lead = w.order()
    follower = w.order(description="同一工地夜间施工，又来投诉")
    order_merge(user=w.people["dispatcher"], follower_id=follower.pk, lead_number=lead.tracking_number)
    return centre_action(follower)


def to_confirm_place(w):
    return centre_action(unplaced(w), region="110101001001")


def pending_extension(w: World):
    complaint = accepted(w)
    lead = lead_of(complaint)
    return extension_request(
        user=w.handler, assignment_id=lead.pk, requested_due=lead.resolve_due + timedelta(days=3), reason="等待表决"
    )


def to_list_extensions(w):
    pending_extension(w)
    return Situation()


def to_decide_extension(w):
    return Situation(params={"extension_id": pending_extension(w).pk}, body={"approve": True, "note": "同意延期"})


def warned(w: World) -> Notification:
    """东华门's handler is warned that the contact deadline is near."""
    lead = lead_of(w.order())
    alerts_sweep(now=lead.contact_due - timedelta(minutes=30))
    return Notification.objects.get(user=w.handler)


def to_list_notifications(w):
    warned(w)
    return Situation()


def to_read_notification(w):
    return Situation(params={"notification_id": warned(w).pk})


def to_report_on_donghuamen(w):
    overdue(w)
    return Situation(query={"unit": w.units["donghuamen"].pk})


def to_list_triage(w):
    unrouted(w)
    return Situation()


def to_read_queue(w):
    assigned(w)
    return Situation(params={"unit_id": w.units["donghuamen"].pk})


def to_file(w):
    assigned(w)
    return Situation(
        body={
            "category": w.categories["noise_neighbour"].pk,
            "region": "110101001002",
            "address": "银闸胡同 5 号",
            "description": "楼上每晚十二点后还在装修",
            "resident_name": "李四",
            "resident_phone": "13900139000",
        }
    )


def proof(complaint: Complaint) -> dict:
    return {"tracking_number": complaint.tracking_number, "phone_last4": RESIDENT_PHONE[-4:]}


def to_track(w):
    return Situation(body=proof(assigned(w)))


def to_rate(w):
    return Situation(body={**proof(resolved(w)), "solved": True, "satisfaction": "satisfied"})


def to_list_places(w):
    assigned(w)
    return Situation(query={"parent": "110101"})


def to_read_place(w):
    assigned(w)
    return Situation(params={"code": "110101001"})


def to_read_category(w):
    assigned(w)
    return Situation(params={"category_id": w.categories["noise_construction"].pk})


# --- Photos (the resident's, private) ----------------------------------------------


def with_photo(w: World) -> tuple[Complaint, Photo]:
    """An order with a summoned department, so the summoned unit's reach is tried too."""
    complaint = in_progress_with_summons(w)
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, format="PNG")
    upload = SimpleUploadedFile("street.png", out.getvalue(), content_type="image/png")
    (photo,) = photos_attach(complaint=complaint, files=[upload], kind=PhotoKind.RESIDENT, public=False)
    return complaint, photo


def to_list_photos(w):
    return on_order(with_photo(w)[0])


def to_fetch_photo(w):
    complaint, photo = with_photo(w)
    return Situation(params={"tracking_number": complaint.tracking_number, "key": str(photo.key)})


def to_list_photos_as_resident(w):
    return Situation(body=proof(with_photo(w)[0]))


def to_fetch_photo_by_link(w):
    return Situation(params={"link": photo_link(photo=with_photo(w)[1])})


# --- The knowledge base (the 12345 centre's) ----------------------------------------


def heating_article(w: World):
    data = ArticleInput(
        title="北京市供暖季时间", answer="每年11月15日至次年3月15日。", category_ids=[], valid_from=MONDAY.date()
    )
    return article_write_new(author=w.people["dispatcher"], data=data)


def knowledge_body(**extra) -> dict:
    return {"title": "居住证办理", "answer": "居住半年以上可申领。", "valid_from": "2026-01-01", **extra}


def to_search_knowledge(w):
    heating_article(w)
    return Situation(query={"q": "供暖"})


def to_read_knowledge(w):
    return Situation(params={"article_id": heating_article(w).pk})


def to_write_knowledge(w):
    return Situation(body=knowledge_body())


def to_edit_knowledge(w):
    return Situation(params={"article_id": heating_article(w).pk}, body=knowledge_body(version=1))


# --- Callbacks (回访): the 12345 centre calls the resident of a resolved order ----------


def due_for_callback(w: World) -> Complaint:
    """Resolved two days before MONDAY and never rated: due for its callback."""
    with time_machine.travel(MONDAY - timedelta(days=2), tick=False):
        return resolved(w)


def to_list_callbacks(w):
    due_for_callback(w)
    return Situation()


def to_rate_on_callback(w):
    return on_order(due_for_callback(w), solved=True, satisfaction="satisfied")


def to_record_no_answer(w):
    return on_order(due_for_callback(w))


# --- The hotline desk (坐席受理, the 12345 centre's) ----------------------------------


def to_read_caller_history(w):
    assigned(w)
    return Situation(query={"phone": RESIDENT_PHONE})


def hotline_demand(w: World, **extra) -> dict:
    return {
        "caller_phone": "13900139000",
        "caller_name": "李四",
        "category": w.categories["noise_neighbour"].pk,
        "region": "110101001002",
        "address": "银闸胡同 5 号",
        "description": "楼上每晚十二点后还在装修",
        **extra,
    }


def to_file_for_a_caller(w):
    assigned(w)
    return Situation(body=hotline_demand(w))


def to_answer_directly(w):
    return Situation(body=hotline_demand(w, address="", description="问供暖从哪天开始", article=heating_article(w).pk))
