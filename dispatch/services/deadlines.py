"""Due times: chosen from the deadline policy of the complaint's category and
priority, counted in clock hours or working days, stored on the assignment in
indexed columns and recomputed only when something moves them (assignment,
extension, priority change). `next_alert_at` tells the sweep when this
assignment next needs a look, so the sweep never scans the whole table.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q

from dispatch.models import AlertKind, Assignment, DeadlinePolicy, TimeUnit
from dispatch.services.calendar import add_working_days

DEFAULT_WARN_SHARE = 0.8
DEFAULT_ESCALATE_AFTER = timedelta(hours=24)


def policy_for(*, category, priority: str) -> DeadlinePolicy | None:
    """The active policy for this priority on the category's nearest ancestor that
    has one (the sub-category, then its group), else the priority's default."""
    candidates = DeadlinePolicy.objects.filter(
        Q(category__isnull=True) | Q(category__code__in=category.ancestor_codes()),
        priority=priority,
        is_active=True,
    ).select_related("category")
    return max(candidates, key=lambda p: p.category.depth if p.category_id else 0, default=None)


def add_duration(start: datetime, *, amount: int, unit: str) -> datetime:
    if unit == TimeUnit.WORKING_DAYS:
        return add_working_days(start, amount)
    return start + timedelta(hours=amount)


def due_times(*, assigned_at: datetime, policy: DeadlinePolicy | None) -> tuple[datetime, datetime]:
    """(contact due, resolve due). Without any policy, the settings' fallback."""
    if policy is None:
        return assigned_at + settings.WHISTLE_CONTACT_WITHIN, assigned_at + settings.WHISTLE_RESOLVE_WITHIN
    contact = add_duration(assigned_at, amount=policy.contact_within, unit=policy.contact_unit)
    resolve = add_duration(assigned_at, amount=policy.resolve_within, unit=policy.resolve_unit)
    return contact, max(contact, resolve)


def next_due(*, assignment: Assignment) -> datetime | None:
    """The earliest due time not yet met, or None when nothing is due any more."""
    if assignment.resolved_at or not assignment.is_active:
        return None
    if assignment.is_co_handling:
        # A summoned unit owes one thing, its report; the resolution is the lead's.
        return None if assignment.reported_at else assignment.report_due
    if assignment.contacted_at is None:
        return min(assignment.contact_due, assignment.resolve_due)
    return assignment.resolve_due


@dataclass(frozen=True)
class ScheduledAlert:
    kind: str
    level: int
    at: datetime
    due: datetime


def alert_schedule(*, assignment: Assignment) -> list[ScheduledAlert]:
    """Every alert this assignment can still need, for each deadline still open:
    a warning when `warn_share` of the time is used (level 0), the breach at the
    due time (level 1: the unit's supervisors), and one more level up the unit
    tree every `escalate_after_hours` while it stays open, up to the root."""
    if not assignment.is_active:
        return []
    if assignment.is_co_handling:
        return _report_schedule(assignment=assignment)
    policy = assignment.policy
    share = float(policy.warn_share) if policy else DEFAULT_WARN_SHARE
    escalate = timedelta(hours=policy.escalate_after_hours) if policy else DEFAULT_ESCALATE_AFTER
    depth = assignment.unit.path.count("/")  # levels 1..depth: the unit, its parent, … the root
    open_deadlines = []
    if assignment.contacted_at is None:
        open_deadlines.append((AlertKind.CONTACT_WARNING, AlertKind.CONTACT_BREACH, assignment.contact_due))
    open_deadlines.append((AlertKind.RESOLVE_WARNING, AlertKind.RESOLVE_BREACH, assignment.resolve_due))
    schedule = []
    for warning, breach, due in open_deadlines:
        schedule.append(
            ScheduledAlert(warning, 0, assignment.assigned_at + (due - assignment.assigned_at) * share, due)
        )
        for level in range(1, depth + 1):
            schedule.append(ScheduledAlert(breach, level, due + escalate * (level - 1), due))
    return schedule


def _report_schedule(*, assignment: Assignment) -> list[ScheduledAlert]:
    """A summoned unit has minutes, not days: no warning, only the breach at the
    report deadline (level 1: the summoned unit's supervisors), climbing its tree
    like any breach. Once it has reported, nothing more can fire."""
    if assignment.reported_at is not None:
        return []
    policy = assignment.policy
    escalate = timedelta(hours=policy.escalate_after_hours) if policy else DEFAULT_ESCALATE_AFTER
    due = assignment.report_due
    depth = assignment.unit.path.count("/")
    return [
        ScheduledAlert(AlertKind.REPORT_BREACH, level, due + escalate * (level - 1), due)
        for level in range(1, depth + 1)
    ]


def next_alert_at(
    *, assignment: Assignment, sent: set[tuple[str, int]], schedule: list[ScheduledAlert] | None = None
) -> datetime | None:
    """When the first alert not yet sent falls due; `schedule` when the caller has
    it already (the sweep, for thousands of assignments a minute)."""
    schedule = alert_schedule(assignment=assignment) if schedule is None else schedule
    return min((a.at for a in schedule if (a.kind, a.level) not in sent), default=None)


def sent_alerts(*, assignment: Assignment) -> set[tuple[str, int]]:
    if assignment.pk is None:
        return set()
    return set(assignment.alerts.values_list("kind", "level"))


def refresh_due(*, assignment: Assignment) -> None:
    """Recompute the derived columns in memory; the caller saves them."""
    assignment.next_due = next_due(assignment=assignment)
    assignment.next_alert_at = next_alert_at(assignment=assignment, sent=sent_alerts(assignment=assignment))
