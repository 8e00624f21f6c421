from dispatch.models.alert import Alert, AlertKind, Notification
from dispatch.models.assignment import (
    ACTIVE_STATUSES,
    Assignment,
    AssignmentReason,
    AssignmentRole,
    AssignmentStatus,
    ReturnReason,
)
from dispatch.models.audit import AppendOnlyError, PersonalDataDoor, PersonalDataView
from dispatch.models.calendar import CalendarOverride, DayKind
from dispatch.models.centre import CallbackAttempt, DirectAnswer
from dispatch.models.extension import Extension, ExtensionStatus
from dispatch.models.knowledge import KnowledgeArticle, KnowledgeArticleVersion
from dispatch.models.policy import DeadlinePolicy, TimeUnit
from dispatch.models.report_rollup import (
    ReportRollupChange,
    ReportRollupDay,
    RollupHotSpotMonth,
    RollupReceivedDay,
    RollupTrendDay,
    RollupUnitDay,
)
from dispatch.models.routing import RoutingRule, TargetKind, UnsentRouting
from dispatch.models.templates import ReplyTemplate, TemplatePurpose
from dispatch.models.triage import TriageItem, TriageReason
from dispatch.models.unit import DepartmentKind, Membership, Role, Unit, UnitKind

__all__ = [
    "Alert",
    "AppendOnlyError",
    "PersonalDataDoor",
    "PersonalDataView",
    "AlertKind",
    "DeadlinePolicy",
    "Extension",
    "KnowledgeArticle",
    "KnowledgeArticleVersion",
    "ExtensionStatus",
    "Notification",
    "TimeUnit",
    "ACTIVE_STATUSES",
    "Assignment",
    "AssignmentReason",
    "AssignmentRole",
    "AssignmentStatus",
    "CalendarOverride",
    "CallbackAttempt",
    "DirectAnswer",
    "DayKind",
    "DepartmentKind",
    "Membership",
    "Role",
    "ReturnReason",
    "ReplyTemplate",
    "TemplatePurpose",
    "ReportRollupChange",
    "ReportRollupDay",
    "RollupHotSpotMonth",
    "RollupReceivedDay",
    "RollupTrendDay",
    "RollupUnitDay",
    "RoutingRule",
    "TargetKind",
    "TriageItem",
    "TriageReason",
    "UnsentRouting",
    "Unit",
    "UnitKind",
]
