from dispatch.models.assignment import ACTIVE_STATUSES, Assignment, AssignmentReason, AssignmentStatus
from dispatch.models.calendar import CalendarOverride, DayKind
from dispatch.models.routing import RoutingRule, TargetKind
from dispatch.models.triage import TriageItem, TriageReason
from dispatch.models.unit import DepartmentKind, Membership, Role, Unit, UnitKind

__all__ = [
    "ACTIVE_STATUSES",
    "Assignment",
    "AssignmentReason",
    "AssignmentStatus",
    "CalendarOverride",
    "DayKind",
    "DepartmentKind",
    "Membership",
    "Role",
    "RoutingRule",
    "TargetKind",
    "TriageItem",
    "TriageReason",
    "Unit",
    "UnitKind",
]
