"""What the 12345 centre's own desk records beside the complaint: the
consultations it answered on the call from the knowledge base, and the callbacks
(回访) that found nobody at the other end."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DirectAnswer(models.Model):
    """A consultation answered on the call (直接答复) from a knowledge-base article:
    the complaint was filed and closed at once, never routed."""

    complaint = models.OneToOneField(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="direct_answer", verbose_name=_("complaint")
    )
    article = models.ForeignKey(
        "dispatch.KnowledgeArticle", on_delete=models.PROTECT, related_name="direct_answers", verbose_name=_("article")
    )
    # The article's version when it was read to the caller: what exactly they were told.
    article_version = models.PositiveIntegerField(_("article version"))
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("operator")
    )
    answered_at = models.DateTimeField(_("answered at"), auto_now_add=True)

    class Meta:
        ordering = ["-answered_at"]
        verbose_name = _("direct answer")
        verbose_name_plural = _("direct answers")

    def __str__(self):
        return f"{self.complaint_id} ← {self.article_id}"


class CallbackAttempt(models.Model):
    """One callback (回访) on a resolved order that nobody answered. `round` is the
    resolution it asks about (1 for the first, as Rating.round). After
    WHISTLE_CALLBACK_ATTEMPTS of them the order closes as "resident unreachable"."""

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="callback_attempts", verbose_name=_("complaint")
    )
    round = models.PositiveSmallIntegerField(default=1)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("operator")
    )
    attempted_at = models.DateTimeField(_("called at"), auto_now_add=True)

    class Meta:
        ordering = ["complaint", "round", "attempted_at"]
        verbose_name = _("callback attempt")
        verbose_name_plural = _("callback attempts")
        indexes = [models.Index(fields=["complaint", "round"], name="callback_attempt_round")]

    def __str__(self):
        return f"{self.complaint_id} #{self.round} {self.attempted_at:%Y-%m-%d %H:%M}"
