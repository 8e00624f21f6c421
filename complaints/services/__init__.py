from complaints.services.lifecycle import complaint_lock, complaint_move
from complaints.services.rating import complaint_close_unrated, complaint_rate
from complaints.services.submit import complaint_submit

__all__ = [
    "complaint_close_unrated",
    "complaint_lock",
    "complaint_move",
    "complaint_rate",
    "complaint_submit",
]
