from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AlertKind(models.TextChoices):
    CONTACT_WARNING = "contact_warning", _("Contact deadline near")
    CONTACT_BREACH = "contact_breach", _("Contact deadline missed")
    RESOLVE_WARNING = "resolve_warning", _("Resolution deadline near")
    RESOLVE_BREACH = "resolve_breach", _("Resolution deadline missed")
    REPORT_BREACH = "report_breach", _("Summoned unit has not reported")


class Alert(models.Model):
    """One deadline notification, sent once. Level 0 is the unit's own handlers
    (warnings); level 1 the unit's supervisors (a breach); level 2 and up climb
    the unit tree as the breach stays open. The unique constraint, not the
    sweep's care, makes two concurrent or retried sweeps send it once."""

    assignment = models.ForeignKey(
        "dispatch.Assignment", on_delete=models.CASCADE, related_name="alerts", verbose_name=_("assignment")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AlertKind.choices)
    level = models.PositiveSmallIntegerField(_("level"))
    unit = models.ForeignKey(
        "dispatch.Unit", on_delete=models.PROTECT, related_name="alerts", verbose_name=_("notified unit")
    )
    due = models.DateTimeField(_("the deadline"))
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("deadline alert")
        verbose_name_plural = _("deadline alerts")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "kind", "level"], name="alert_once_per_level"),
        ]

    def __str__(self):
        return f"{self.assignment_id} {self.kind} L{self.level}"


class Notification(models.Model):
    """An alert in one person's in-app list (and e-mail)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at", "created_at"], name="notification_inbox")]
        constraints = [models.UniqueConstraint(fields=["user", "alert"], name="notification_once_per_user")]

    def __str__(self):
        return f"{self.user_id}: {self.alert}"
