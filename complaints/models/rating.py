from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Not satisfied")


class Rating(models.Model):
    """The resident's verdict on one resolution. A complaint reopened and resolved
    again is rated again, so `round` counts resolutions (1 for the first)."""

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="ratings", verbose_name=_("complaint")
    )
    round = models.PositiveSmallIntegerField(default=1)
    solved = models.BooleanField(_("solved"))
    satisfaction = models.CharField(_("satisfaction"), max_length=12, choices=Satisfaction.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=1000)
    # Taken on the 12345 centre's callback (回访) by `taken_by`, an operator, on the
    # resident's behalf; False when the resident rated it themselves.
    by_phone = models.BooleanField(_("rated by phone"), default=False)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taken by phone by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["complaint", "round"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        # The rankings read the ratings given in one month.
        indexes = [models.Index(fields=["created_at"], name="rating_created")]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "round"], name="rating_one_per_round"),
        ]

    def __str__(self):
        return f"{self.complaint_id} #{self.round}: {self.satisfaction}"
