"""The staff desk. Views parse the request, call one selector or service, and
render; access rules live in dispatch.access and dispatch.selectors."""

from dispatch.views.actions import accept, contact, dispatch_to, hand_down, note, resolve
from dispatch.views.alerts import notifications, notifications_read
from dispatch.views.extensions import ask_for_time, decide_extension, extension_list, set_priority
from dispatch.views.home import home
from dispatch.views.merge import merge, unmerge
from dispatch.views.order import order
from dispatch.views.overdue import overdue
from dispatch.views.place_confirm import confirm_place
from dispatch.views.queue import queue
from dispatch.views.reports import report_hotspots, report_index, report_rankings, report_trends
from dispatch.views.returns import recall, reroute, return_order
from dispatch.views.triage import triage
from dispatch.views.triage_actions import recategorise, reject
from dispatch.views.units import unit_search
from dispatch.views.whistle import whistle, whistle_report_view

__all__ = [
    "accept",
    "ask_for_time",
    "confirm_place",
    "contact",
    "decide_extension",
    "dispatch_to",
    "extension_list",
    "hand_down",
    "home",
    "merge",
    "note",
    "notifications",
    "notifications_read",
    "order",
    "overdue",
    "queue",
    "recall",
    "recategorise",
    "reject",
    "report_hotspots",
    "report_index",
    "report_rankings",
    "report_trends",
    "reroute",
    "resolve",
    "return_order",
    "set_priority",
    "triage",
    "unmerge",
    "unit_search",
    "whistle",
    "whistle_report_view",
]
