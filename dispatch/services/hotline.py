"""Filing on the hotline (坐席受理): the 12345 centre's operator files a demand for
the caller on the line, or answers a consultation from the knowledge base and
closes it on the call (直接答复).

Both go through complaint_submit, so a demand filed by phone is checked, linked
as a repeat, made urgent by an emergency word and routed exactly as one filed on
the web.
"""

import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from complaints.models import Category, Channel, Complaint, ComplaintStatus, DemandType, Region
from complaints.selectors.place_search import beijing_place
from complaints.services.submit import DirectAnswer, complaint_submit
from dispatch.models import DirectAnswer as DirectAnswerRecord
from dispatch.selectors.hotline import hotline_check
from dispatch.services.knowledge import article_use
from portal.errors import ActionRefused, NotFound


@dataclass(frozen=True)
class HotlineDemand:
    """What the operator takes down on the call, from any door."""

    caller_phone: str
    caller_name: str
    category: Category
    region: Region
    description: str
    address: str = ""
    demand_type: str = DemandType.COMPLAINT
    hide_name: bool = False
    urgent: bool = False
    submission_token: uuid.UUID | None = None
    # The category's questions, code → answer (a list of keys for a multi-value
    # list); complaint_submit checks them. A consultation answered directly need not
    # answer them: they ask about a problem, and the caller asked a question.
    answers: dict = field(default_factory=dict)


ADDRESS_NEEDED = _("Give the address or a landmark, so the unit can find the place.")


def hotline_address_needed(*, demand_type: str, direct_answer: bool) -> bool:
    """A consultation needs no address (it is answered, not handled on the spot);
    anything a unit must go and see does."""
    return not direct_answer and demand_type != DemandType.CONSULTATION


def hotline_file(*, user, data: HotlineDemand) -> Complaint:
    """File the caller's demand: channel hotline, filed by the operator. Routed
    like any demand once the transaction commits. A repeated submission token
    returns the demand it first filed."""
    hotline_check(user=user)
    needs_address = hotline_address_needed(demand_type=data.demand_type, direct_answer=False)
    # A resend gets its first demand from complaint_submit, whatever it says now.
    if needs_address and not data.address.strip() and not _filed_before(data.submission_token):
        raise ValidationError({"address": ADDRESS_NEEDED})
    return complaint_submit(**_submit_kwargs(user=user, data=data))


def _filed_before(token: uuid.UUID | None) -> bool:
    return token is not None and Complaint.objects.filter(submission_token=token).exists()


def consultation_answer_directly(*, user, article_id, data: HotlineDemand) -> Complaint:
    """File the caller's consultation and close it at once as answered from the
    article (never routed), count the article's use and record which version was
    read out, all in one transaction: an article that may not be given (expired,
    archived, unknown) or a demand that may not be filed leaves nothing saved."""
    hotline_check(user=user)
    if data.submission_token is not None:
        # The same form sent twice: the first call's demand, and the article counted once.
        existing = Complaint.objects.filter(submission_token=data.submission_token).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            return _answer(user=user, article_id=article_id, data=data)
    except _Replayed as replay:
        return replay.complaint


class _Replayed(Exception):
    """The same form was sent twice at the same moment and the other request filed
    first: roll back this one's article use and answer with that demand."""

    def __init__(self, complaint: Complaint):
        super().__init__(complaint.tracking_number)
        self.complaint = complaint


def _answer(*, user, article_id, data: HotlineDemand) -> Complaint:
    try:
        article = article_use(article_id=article_id, user=user)
    except NotFound as exc:
        raise ActionRefused(_("This article no longer exists; search again."), field="article") from exc
    except ActionRefused as refusal:
        # Archived, expired or not valid yet: a refusal of the article chosen.
        raise ActionRefused(refusal.message, field="article") from refusal
    kwargs = _submit_kwargs(user=user, data=data)
    kwargs["demand_type"] = DemandType.CONSULTATION
    complaint = complaint_submit(**kwargs, direct_answer=DirectAnswer(article_id=article.pk, title=article.title))
    if complaint.status != ComplaintStatus.CLOSED or DirectAnswerRecord.objects.filter(complaint=complaint).exists():
        raise _Replayed(complaint)
    DirectAnswerRecord.objects.create(
        complaint=complaint, article=article, article_version=article.version, operator=user
    )
    return complaint


def _submit_kwargs(*, user, data: HotlineDemand) -> dict:
    # The form offers Beijing's places only; a forged code is refused here too.
    if beijing_place(code=data.region.code) is None:
        raise ValidationError({"region": _("Choose a street or community of Beijing.")})
    return {
        "category": data.category,
        "region": data.region,
        "address": data.address,
        "description": data.description,
        "resident_name": data.caller_name,
        "resident_phone": data.caller_phone,
        "hide_name": data.hide_name,
        "urgent": data.urgent,
        "demand_type": data.demand_type,
        "channel": Channel.HOTLINE,
        "filed_by": user,
        "submission_token": data.submission_token,
        "answers": data.answers,
    }
