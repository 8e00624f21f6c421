from django.db import models
from django.utils.translation import gettext_lazy as _

from dispatch.models.unit import DepartmentKind


class TargetKind(models.TextChoices):
    FIXED = "fixed", _("A fixed unit")
    STREET_OFFICE = "street_office", _("The street office of the complaint's street")
    DISTRICT_DEPARTMENT = "district_department", _("The district department of a kind, in the complaint's district")


class RoutingRule(models.Model):
    """(category subtree, region subtree) → target. Empty category or region means
    "any". Of the rules that match, the most specific wins (deeper category first,
    then deeper region), then the higher priority; see dispatch.services.routing."""

    name = models.CharField(_("name"), max_length=120)
    category = models.ForeignKey(
        "complaints.Category",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="routing_rules",
        verbose_name=_("category subtree"),
    )
    region = models.ForeignKey(
        "complaints.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="routing_rules",
        verbose_name=_("region subtree"),
    )
    target_kind = models.CharField(_("target"), max_length=24, choices=TargetKind.choices)
    target_unit = models.ForeignKey(
        "dispatch.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fixed unit"),
    )
    department_kind = models.CharField(_("department kind"), max_length=20, choices=DepartmentKind.choices, blank=True)
    priority = models.SmallIntegerField(
        _("priority"), default=0, help_text=_("Higher wins among equally specific rules.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["category__code", "region__code", "-priority"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(target_kind="fixed") | models.Q(target_unit__isnull=False),
                name="rule_fixed_has_unit",
            ),
            models.CheckConstraint(
                condition=~models.Q(target_kind="district_department") | ~models.Q(department_kind=""),
                name="rule_department_has_kind",
            ),
        ]

    def __str__(self):
        return self.name


class UnsentRouting(models.Model):
    """A complaint whose routing message could not be handed to the broker (Redis
    down). Intake never waits for the broker: the complaint is saved, this row
    remembers it, and the backlog task sends it as soon as the broker is back."""

    complaint = models.OneToOneField(
        "complaints.Complaint", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    failed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("routing not yet sent")
        verbose_name_plural = _("routing not yet sent")

    def __str__(self):
        return str(self.complaint_id)
