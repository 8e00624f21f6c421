from complaints.models.category import Category
from complaints.models.complaint import Complaint, ComplaintStatus, Priority
from complaints.models.event import ComplaintEvent, EventKind
from complaints.models.rating import Rating, Satisfaction
from complaints.models.region import Region, RegionLevel

__all__ = [
    "Category",
    "Complaint",
    "ComplaintEvent",
    "ComplaintStatus",
    "EventKind",
    "Priority",
    "Rating",
    "Region",
    "RegionLevel",
    "Satisfaction",
]
