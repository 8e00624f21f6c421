from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from complaints.models import Priority


class TimeUnit(models.TextChoices):
    HOURS = "hours", _("clock hours")
    WORKING_DAYS = "working_days", _("working days")


class DeadlinePolicy(models.Model):
    """How long a unit has: to contact the resident, to resolve, and (when
    summoned by a whistle) to report. Chosen per category (a policy on a group
    covers its sub-categories unless one of them has its own) and priority; a
    policy with no category is the default for its priority.

    Each duration counts clock hours or working days (China's official calendar,
    dispatch.services.calendar). A warning fires when `warn_share` of the time is
    used; a breach still open `escalate_after_hours` later climbs one level up the
    unit tree.
    """

    name = models.CharField(_("name"), max_length=120)
    category = models.ForeignKey(
        "complaints.Category",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deadline_policies",
        verbose_name=_("category subtree"),
    )
    priority = models.CharField(
        _("priority"),
        max_length=8,
        choices=Priority.choices,
    )
    contact_within = models.PositiveIntegerField(_("contact the resident within"))
    contact_unit = models.CharField(_("counted in"), max_length=12, choices=TimeUnit.choices, default=TimeUnit.HOURS)
    resolve_within = models.PositiveIntegerField(_("resolve within"))
    resolve_unit = models.CharField(
        _("counted in"), max_length=12, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    report_within_minutes = models.PositiveIntegerField(_("a summoned unit reports within (minutes)"), default=30)
    warn_share = models.DecimalField(
        _("warn when this share of the time is used"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.80"),
        validators=[MinValueValidator(0.01), MaxValueValidator(0.99)],
    )
    escalate_after_hours = models.PositiveIntegerField(_("escalate one level further after (hours)"), default=24)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["priority", "category__code"]
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contact_within__gt=0, resolve_within__gt=0, report_within_minutes__gt=0),
                name="policy_durations_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(warn_share__gt=0, warn_share__lt=1), name="policy_warn_share_inside_0_1"
            ),
            models.CheckConstraint(condition=models.Q(escalate_after_hours__gt=0), name="policy_escalation_positive"),
            models.UniqueConstraint(
                fields=["category", "priority"], condition=models.Q(is_active=True), name="policy_one_per_key"
            ),
            models.UniqueConstraint(
                fields=["priority"],
                condition=models.Q(is_active=True, category__isnull=True),
                name="policy_one_default_per_priority",
            ),
        ]

    def __str__(self):
        return self.name
