import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Open311Submission(models.Model):
    """A complaint filed over Open311 GeoReport v2, and by which client system.

    Every POST gets a token, so `tokens/{token}` answers even though the id is
    known at once (the portal is a "realtime" server). The device and account ids
    are the client's own identifiers for its user: kept for the record and for
    the 12345 centre, never shown in any Open311 answer.
    """

    token = models.UUIDField(_("token"), default=uuid.uuid4, unique=True, editable=False)
    complaint = models.OneToOneField(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="open311", verbose_name=_("complaint")
    )
    # SET_NULL: deleting a client's key must not delete what it filed.
    client = models.ForeignKey(
        "rest_framework_api_key.APIKey",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="open311_submissions",
        verbose_name=_("client system"),
    )
    device_id = models.CharField(_("device id"), max_length=100, blank=True)
    account_id = models.CharField(_("account id"), max_length=100, blank=True)
    # Photos come later; the link the client sent is kept for when they do.
    media_url = models.URLField(_("media URL"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("filed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 submission")
        verbose_name_plural = _("Open311 submissions")

    def __str__(self):
        return str(self.token)
