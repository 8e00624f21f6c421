import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Four photos of each kind per complaint; the slot column makes it a database invariant.
MAX_PHOTOS = 4


class PhotoKind(models.TextChoices):
    RESIDENT = "resident", _("From the resident")
    REPLY = "reply", _("With the reply")


def photo_path(photo: "Photo", filename: str) -> str:
    # Random names: a stored path says nothing about the complaint or who sent it.
    return f"photos/{photo.key.hex[:2]}/{photo.key.hex}{_suffix(filename)}"


def thumbnail_path(photo: "Photo", filename: str) -> str:
    return f"photos/{photo.key.hex[:2]}/{photo.key.hex}-thumb{_suffix(filename)}"


def _suffix(filename: str) -> str:
    return ".png" if filename.lower().endswith(".png") else ".jpg"


class Photo(models.Model):
    """An image attached to a complaint: one of the resident's (before) or one sent
    with the unit's reply (after). The stored file is a re-encoding made by
    `complaints.services.photos`, never the bytes uploaded, so it carries no EXIF
    (no GPS position) and nothing but pixels. It is served only through views
    that check who asks; `public` is the resident's consent to show it to anyone."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="photos", verbose_name=_("complaint")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=PhotoKind.choices)
    slot = models.PositiveSmallIntegerField(_("position"))
    file = models.FileField(_("file"), upload_to=photo_path, max_length=200)
    thumbnail = models.FileField(_("thumbnail"), upload_to=thumbnail_path, max_length=200, blank=True)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    content_type = models.CharField(_("content type"), max_length=20)
    size = models.PositiveIntegerField(_("size in bytes"))
    public = models.BooleanField(_("may be shown publicly"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["complaint", "kind", "slot"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        constraints = [
            models.UniqueConstraint(fields=["complaint", "kind", "slot"], name="photo_one_per_slot"),
            models.CheckConstraint(condition=models.Q(slot__gte=1, slot__lte=MAX_PHOTOS), name="photo_slot_range"),
            models.CheckConstraint(
                condition=models.Q(content_type__in=["image/jpeg", "image/png"]), name="photo_content_type"
            ),
        ]

    def __str__(self):
        return f"{self.complaint_id} {self.kind} {self.slot}"
