"""What a resident sees of a complaint once the tracking number and the phone's last
four digits are proven: the same for the page and the API."""

from dataclasses import dataclass

from complaints.models import Complaint, ComplaintStatus, EventKind
from complaints.selectors import public_timeline
from complaints.selectors.duplicates import lead_timeline
from complaints.services.merge import follower_can_rate
from complaints.timeline import RESIDENT, TimelineLine, timeline_lines


@dataclass(frozen=True)
class FollowerProgress:
    """A merged complaint's page leads with the order it follows: that order's
    status and public timeline, never its resident or internal notes."""

    lead: Complaint
    timeline: list[TimelineLine]
    can_rate: bool
    rated: bool


@dataclass(frozen=True)
class PublicView:
    complaint: Complaint
    timeline: list[TimelineLine]
    can_rate: bool
    rejected_reason: str
    follower: FollowerProgress | None


def tracking_number_normal(raw: str) -> str:
    """Numbers are read out over the phone in groups; spaces and dashes are not part of them."""
    return "".join(ch for ch in (raw or "") if ch not in " -")


def follower_progress(*, complaint: Complaint) -> FollowerProgress | None:
    lead = complaint.merged_into if complaint.merged_into_id else None
    if complaint.status != ComplaintStatus.MERGED or lead is None:
        return None
    can_rate = follower_can_rate(follower=complaint)
    return FollowerProgress(
        lead=lead,
        timeline=timeline_lines(lead_timeline(lead=lead), audience=RESIDENT),
        can_rate=can_rate,
        rated=not can_rate and complaint.ratings.exists(),
    )


def complaint_public_view(*, complaint: Complaint) -> PublicView:
    events = list(public_timeline(complaint=complaint))
    follower = follower_progress(complaint=complaint)
    can_rate = follower.can_rate if follower else complaint.status == ComplaintStatus.RESOLVED
    reason = ""
    if complaint.status == ComplaintStatus.REJECTED:
        rejections = [event for event in events if event.kind == EventKind.REJECTED and event.data]
        reason = rejections[-1].data.get("reason", "") if rejections else ""
    return PublicView(
        complaint=complaint,
        timeline=timeline_lines(events, audience=RESIDENT),
        can_rate=can_rate,
        rejected_reason=str(reason or ""),
        follower=follower,
    )
