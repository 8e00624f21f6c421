from complaints.models.boundary import RegionBoundary
from complaints.models.category import Category
from complaints.models.complaint import Channel, Complaint, ComplaintStatus, DemandType, Priority
from complaints.models.event import ComplaintEvent, EventKind
from complaints.models.notice import NoticeChannel, NoticeStatus, ResidentNotice
from complaints.models.open311 import Open311Submission
from complaints.models.photo import MAX_PHOTOS, Photo, PhotoKind
from complaints.models.question import LIST_TYPES, CategoryQuestion, QuestionType
from complaints.models.rating import Rating, Satisfaction
from complaints.models.region import Region, RegionLevel

__all__ = [
    "LIST_TYPES",
    "MAX_PHOTOS",
    "CategoryQuestion",
    "Channel",
    "DemandType",
    "QuestionType",
    "RegionBoundary",
    "Category",
    "Complaint",
    "ComplaintEvent",
    "ComplaintStatus",
    "EventKind",
    "NoticeChannel",
    "NoticeStatus",
    "Open311Submission",
    "Photo",
    "PhotoKind",
    "Priority",
    "Rating",
    "Region",
    "ResidentNotice",
    "RegionLevel",
    "Satisfaction",
]
