from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TemplatePurpose(models.TextChoices):
    CONTACT = "contact", _("Contact record")
    RESOLVE = "resolve", _("Resolve reply")
    RETURN = "return", _("Return reason")


class ReplyTemplate(models.Model):
    """A short text (常用语) a unit keeps for a field of the order page.

    No unit means the 12345 centre's, offered city-wide; no category means every
    category, else that category and its sub-categories (see
    `dispatch.selectors.reply_templates.templates_for`).
    """

    unit = models.ForeignKey(
        "dispatch.Unit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reply_templates",
        verbose_name=_("unit"),
    )
    category = models.ForeignKey(
        "complaints.Category",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reply_templates",
        verbose_name=_("category"),
    )
    purpose = models.CharField(_("used for"), max_length=8, choices=TemplatePurpose.choices)
    title = models.CharField(_("title"), max_length=60)
    text = models.TextField(_("text"), max_length=1000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["purpose", "title"]
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")
        indexes = [models.Index(fields=["purpose", "is_active"], name="replytemplate_purpose_active")]

    def __str__(self):
        return self.title
