from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message")


class NoticeStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    # Claimed by a worker and handed to the backend; never handed over again, so a
    # worker lost mid-send costs at most this one message, never a second copy.
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent successfully")
    FAILED = "failed", _("Failed")
    # The resident stopped messages before this one went out.
    STOPPED = "stopped", _("Not sent: stopped by the resident")


class ResidentNotice(models.Model):
    """One message to a complaint's resident about one timeline event over one
    channel. The unique (event, channel) row is what makes "never twice" a fact of
    the database: a redelivered task, a retried transaction or a second worker finds
    the row and its status, never a chance to send again. The words are not stored:
    they are made at send time from the event's facts, in the complaint's language."""

    event = models.ForeignKey(
        "complaints.ComplaintEvent", on_delete=models.CASCADE, related_name="notices", verbose_name=_("event")
    )
    channel = models.CharField(_("channel"), max_length=8, choices=NoticeChannel.choices)
    status = models.CharField(_("status"), max_length=8, choices=NoticeStatus.choices, default=NoticeStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    attempted_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notice to a resident")
        verbose_name_plural = _("notices to residents")
        constraints = [
            models.UniqueConstraint(fields=["event", "channel"], name="notice_one_per_event_channel"),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="notice_status_created")]

    def __str__(self):
        return f"{self.event_id} {self.channel} {self.status}"
