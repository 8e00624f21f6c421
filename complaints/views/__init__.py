"""The resident's side of the portal: thin doors onto complaints' services and
selectors. A browser may see a complaint only after filing it or proving the
tracking number with the phone's last four digits (see `grants`)."""

from complaints.views.intake import complaint_file, complaint_filed, home
from complaints.views.places import place_children
from complaints.views.rating import complaint_rate_view
from complaints.views.tracking import complaint_track_detail, complaint_track_view

__all__ = [
    "complaint_file",
    "complaint_filed",
    "complaint_rate_view",
    "complaint_track_detail",
    "complaint_track_view",
    "home",
    "place_children",
]
