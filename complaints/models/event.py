from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ASSIGNED = "assigned", _("Assigned")
    TRIAGED = "triaged", _("Sent to the 12345 centre")
    ACCEPTED = "accepted", _("Signed for")
    CONTACTED = "contacted", _("Resident contacted")
    NOTE = "note", _("Note")
    HANDED_DOWN = "handed_down", _("Handed down")
    RESOLVED = "resolved", _("Resolved")
    RATED = "rated", _("Rated")
    REOPENED = "reopened", _("Reopened")
    CLOSED = "closed", _("Closed")
    RETURNED = "returned", _("Returned")
    REJECTED = "rejected", _("Rejected")
    MERGED = "merged", _("Merged")


class ComplaintEvent(models.Model):
    """One line of a complaint's timeline. `is_public` lines are what the resident
    sees; internal notes and routing details stay with staff."""

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="events", verbose_name=_("complaint")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    is_public = models.BooleanField(_("shown to the resident"), default=True)
    message = models.TextField(_("message"), blank=True, max_length=4000)
    # Who acted, as shown to readers ("东华门街道办事处"); the user stays for audit.
    actor_label = models.CharField(_("by"), max_length=120, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        indexes = [models.Index(fields=["complaint", "created_at"], name="event_complaint_time")]

    def __str__(self):
        return f"{self.complaint_id} {self.kind}"
