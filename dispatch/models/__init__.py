from dispatch.models.assignment import ACTIVE_STATUSES, Assignment, AssignmentReason, AssignmentStatus
from dispatch.models.routing import RoutingRule, TargetKind
from dispatch.models.triage import TriageItem, TriageReason
from dispatch.models.unit import DepartmentKind, Membership, Role, Unit, UnitKind

__all__ = [
    "ACTIVE_STATUSES",
    "Assignment",
    "AssignmentReason",
    "AssignmentStatus",
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
