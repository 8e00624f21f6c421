from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting decision")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class Extension(models.Model):
    """A handling unit's request for more time to resolve (延期). The 12345 centre
    or a supervisor of the unit decides; approval moves the resolve due time."""

    assignment = models.ForeignKey(
        "dispatch.Assignment", on_delete=models.CASCADE, related_name="extensions", verbose_name=_("assignment")
    )
    reason = models.TextField(_("reason"), max_length=1000)
    previous_due = models.DateTimeField(_("resolution due before"))
    requested_due = models.DateTimeField(_("requested new resolution due"))
    status = models.CharField(
        _("status"), max_length=8, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("asked by")
    )
    requested_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True, max_length=1000)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        indexes = [models.Index(fields=["status", "requested_at"], name="extension_status_time")]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"], condition=models.Q(status="pending"), name="extension_one_pending"
            ),
            models.CheckConstraint(
                condition=models.Q(requested_due__gt=models.F("previous_due")), name="extension_moves_due_later"
            ),
        ]

    def __str__(self):
        return f"{self.assignment_id} → {self.requested_due:%Y-%m-%d} ({self.status})"
