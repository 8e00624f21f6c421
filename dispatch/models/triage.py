from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TriageReason(models.TextChoices):
    NO_RULE = "no_rule", _("No routing rule matched")
    RETURNED = "returned", _("Returned by the unit")
    DISPUTED = "disputed", _("Disputed")
    # The portal placed the order only as far as its district; the centre confirms the street.
    PLACE_TO_CONFIRM = "place", _("Place to confirm")
    # The resident wrote an emergency word: a dispatcher sends it by hand at once.
    EMERGENCY = "emergency", _("Emergency words")


class TriageItem(models.Model):
    """An order waiting in the 12345 centre's triage queue. Open while `closed_at`
    is empty; at most one open item per complaint."""

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="triage_items", verbose_name=_("complaint")
    )
    reason = models.CharField(_("reason"), max_length=10, choices=TriageReason.choices)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("triage item")
        verbose_name_plural = _("triage items")
        indexes = [
            models.Index(fields=["created_at"], condition=models.Q(closed_at__isnull=True), name="triage_open_age"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint"], condition=models.Q(closed_at__isnull=True), name="triage_one_open_per_complaint"
            ),
        ]

    def __str__(self):
        return f"{self.complaint_id} ({self.get_reason_display()})"
