"""The complaint timeline: events stored as facts, rendered for the reader.

facts.py   what each fact means: its kind, who sees it, its sentence
actors.py  who acted, as a role or a unit id
names.py   the hook dispatch fills to name units
render.py  timeline_lines(events, audience=...) in the active language
"""

from complaints.timeline.actors import CENTRE, RESIDENT, SYSTEM
from complaints.timeline.facts import FACTS, LEGACY, resident_sees
from complaints.timeline.render import STAFF, TimelineLine, event_text, timeline_lines

__all__ = [
    "CENTRE",
    "FACTS",
    "LEGACY",
    "RESIDENT",
    "STAFF",
    "SYSTEM",
    "TimelineLine",
    "event_text",
    "resident_sees",
    "timeline_lines",
]
