from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Awaiting sign-for")
    ACCEPTED = "accepted", _("Signed for")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    SUPERSEDED = "superseded", _("Re-dispatched")
    RETURNED = "returned", _("Returned")


ACTIVE_STATUSES = (AssignmentStatus.ASSIGNED, AssignmentStatus.ACCEPTED, AssignmentStatus.IN_PROGRESS)


class AssignmentReason(models.TextChoices):
    ROUTED = "routed", _("Routing rule")
    DISPATCHED = "dispatched", _("Dispatched by the 12345 centre")
    REOPENED = "reopened", _("Reopened by the resident")


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Lead unit")
    CO_HANDLER = "co_handler", _("Summoned to help")


class ReturnReason(models.TextChoices):
    NOT_OUR_REMIT = "not_our_remit", _("Not this unit's responsibility")
    WRONG_PLACE = "wrong_place", _("The place is outside this unit's area")
    WRONG_CATEGORY = "wrong_category", _("Wrong category")
    INSUFFICIENT = "insufficient", _("Not enough information to act on")
    OTHER = "other", _("Other")


class Assignment(models.Model):
    """A unit's responsibility for one complaint, with its due times.

    `unit` is accountable and stays so; `holder` is who works it now (the street
    office, or a community it handed the order down to), so a hand-down moves the
    work without restarting the clock. `next_due` is the earliest due time still
    open, kept in an indexed column so queues and overdue reports sort and filter
    in SQL.
    """

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="assignments", verbose_name=_("complaint")
    )
    unit = models.ForeignKey(
        "dispatch.Unit", on_delete=models.PROTECT, related_name="assignments", verbose_name=_("accountable unit")
    )
    holder = models.ForeignKey(
        "dispatch.Unit", on_delete=models.PROTECT, related_name="held_assignments", verbose_name=_("handled by")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=AssignmentStatus.choices, default=AssignmentStatus.ASSIGNED
    )
    reason = models.CharField(_("why assigned"), max_length=12, choices=AssignmentReason.choices)
    rule = models.ForeignKey(
        "dispatch.RoutingRule",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("routing rule that fired"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned at"))
    accepted_at = models.DateTimeField(_("signed for at"), null=True, blank=True)
    contacted_at = models.DateTimeField(_("resident contacted at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    contact_due = models.DateTimeField(_("contact due"))
    resolve_due = models.DateTimeField(_("resolution due"))
    next_due = models.DateTimeField(_("next due"), null=True, blank=True)
    policy = models.ForeignKey(
        "dispatch.DeadlinePolicy",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("deadline policy"),
    )
    # When the sweep must next look at this assignment (a warning or an escalation
    # falls due); empty when nothing more can fire. Indexed: the sweep reads only these.
    next_alert_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_reason = models.CharField(_("return reason"), max_length=16, choices=ReturnReason.choices, blank=True)
    return_note = models.TextField(_("return note"), blank=True, max_length=1000)
    # Whistle to Respond (吹哨报到): a unit summoned by the lead gets a co-handling
    # assignment of its own, with its own report deadline; the lead resolves the order.
    role = models.CharField(_("role"), max_length=10, choices=AssignmentRole.choices, default=AssignmentRole.LEAD)
    lead = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="co_handlers",
        verbose_name=_("lead assignment"),
    )
    summons_message = models.TextField(_("what the lead asked for"), blank=True, max_length=1000)
    report_due = models.DateTimeField(_("report due"), null=True, blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    report_note = models.TextField(_("report"), blank=True, max_length=2000)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["next_due"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        indexes = [
            models.Index(fields=["unit", "status", "next_due"], name="assignment_unit_queue"),
            models.Index(fields=["holder", "status", "next_due"], name="assignment_holder_queue"),
            # Carrying the unit lets the overdue report count per unit from the index alone.
            models.Index(
                fields=["next_due"],
                include=["unit"],
                condition=models.Q(next_due__isnull=False),
                name="assignment_open_due",
            ),
            models.Index(fields=["complaint", "assigned_at"], name="assignment_complaint_time"),
            models.Index(
                fields=["next_alert_at"], condition=models.Q(next_alert_at__isnull=False), name="assignment_alert_due"
            ),
            # Reports read one month or one year of one date column: each has its range index, the
            # lead's carrying what the report counts so the heap is not read for every row.
            models.Index(
                fields=["assigned_at"],
                include=["unit", "complaint"],
                condition=models.Q(role="lead"),
                name="assignment_lead_assigned",
            ),
            models.Index(
                fields=["resolved_at"],
                include=["unit"],
                condition=models.Q(role="lead", resolved_at__isnull=False),
                name="assignment_lead_resolved",
            ),
            models.Index(
                fields=["contact_due"],
                include=["unit", "contacted_at"],
                condition=models.Q(role="lead") & ~models.Q(status="superseded"),
                name="assignment_live_contact_due",
            ),
            models.Index(
                fields=["resolve_due"],
                include=["unit", "resolved_at"],
                condition=models.Q(role="lead") & ~models.Q(status="superseded"),
                name="assignment_live_resolve_due",
            ),
            models.Index(
                fields=["returned_at"], condition=models.Q(returned_at__isnull=False), name="assignment_returned_time"
            ),
            models.Index(
                fields=["report_due"], condition=models.Q(report_due__isnull=False), name="assignment_report_due"
            ),
        ]
        constraints = [
            # The routing task's idempotency does not rest on luck: one live lead per order.
            models.UniqueConstraint(
                fields=["complaint"],
                condition=models.Q(status__in=["assigned", "accepted", "in_progress"], role="lead"),
                name="assignment_one_active_per_complaint",
            ),
            # A unit is summoned to an order once while its summons is live.
            models.UniqueConstraint(
                fields=["complaint", "unit"],
                condition=models.Q(status__in=["assigned", "accepted", "in_progress"], role="co_handler"),
                name="assignment_one_active_co_handling_per_unit",
            ),
            models.CheckConstraint(
                condition=models.Q(role="lead", lead__isnull=True, report_due__isnull=True)
                | models.Q(role="co_handler", lead__isnull=False, report_due__isnull=False),
                name="assignment_co_handler_has_lead",
            ),
            models.CheckConstraint(
                condition=models.Q(resolve_due__gte=models.F("assigned_at")), name="assignment_due_after_assigned"
            ),
        ]

    def __str__(self):
        return f"{self.complaint_id} → {self.unit_id} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_co_handling(self) -> bool:
        return self.role == AssignmentRole.CO_HANDLER

    @property
    def is_handed_down(self) -> bool:
        return self.holder_id != self.unit_id
