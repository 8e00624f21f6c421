from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PersonalDataDoor(models.TextChoices):
    """Where a member of staff saw a resident's full contact details."""

    ORDER_PAGE = "order_page", _("Order page")
    ORDER_API = "order_api", _("Order API")
    TRIAGE_PAGE = "triage_page", _("Triage page")
    TRIAGE_API = "triage_api", _("Triage API")
    CALLBACK_PAGE = "callback_page", _("Callback queue")
    CALLBACK_API = "callback_api", _("Callback API")
    ADMIN = "admin", _("Admin")


class AppendOnlyError(Exception):
    """An audit row was about to be changed or removed: the log is what happened."""


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk writes skip Model.save() and delete(); refuse them here too."""

    def update(self, **kwargs):
        raise AppendOnlyError("personal data views are append-only")

    def delete(self):
        raise AppendOnlyError("personal data views are append-only")

    update.queryset_only = True
    delete.queryset_only = True


class PersonalDataView(models.Model):
    """One view of a resident's full name, phone and e-mail by a member of staff.
    Rows are only ever added: the model refuses to save an existing row or to
    delete one, the admin offers neither, and on PostgreSQL a trigger refuses
    UPDATE and DELETE from any client (migration 0010)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("member of staff")
    )
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="+", verbose_name=_("complaint")
    )
    door = models.CharField(_("seen on"), max_length=20, choices=PersonalDataDoor.choices)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("view of personal data")
        verbose_name_plural = _("views of personal data")
        indexes = [
            models.Index(fields=["complaint", "at"], name="pdv_complaint_at"),
            models.Index(fields=["user", "at"], name="pdv_user_at"),
            models.Index(fields=["at"], name="pdv_at"),
        ]

    def __str__(self):
        return f"{self.user_id} → {self.complaint_id} ({self.door}, {self.at:%Y-%m-%d %H:%M})"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("personal data views are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("personal data views are append-only")
