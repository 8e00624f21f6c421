"""The staff desk. Views parse the request, call one selector or service, and
render; access rules live in dispatch.access and dispatch.selectors."""

from dispatch.views.actions import accept, contact, dispatch_to, hand_down, note, resolve
from dispatch.views.home import home
from dispatch.views.order import order
from dispatch.views.overdue import overdue
from dispatch.views.queue import queue
from dispatch.views.triage import triage
from dispatch.views.units import unit_search

__all__ = [
    "accept",
    "contact",
    "dispatch_to",
    "hand_down",
    "home",
    "note",
    "order",
    "overdue",
    "queue",
    "resolve",
    "triage",
    "unit_search",
]
