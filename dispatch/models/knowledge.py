from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TITLE_MAX_LENGTH = 200
SOURCE_MAX_LENGTH = 200


def _valid_dates_in_order() -> models.Q:
    return models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=models.F("valid_from"))


class KnowledgeArticle(models.Model):
    """An answer the 12345 centre gives on the call (知识库): what to tell a caller
    who asks when the heating season starts or how to get a residence permit.

    `version` counts the edits, so two editors saving at once give one success and
    one "changed by someone else"; every version is kept in KnowledgeArticleVersion.
    `use_count` and `last_used_at` rank the search: an answer used often lately is
    likely the one the next caller needs. Only the knowledge services write here.
    """

    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    answer = models.TextField(_("answer"))
    categories = models.ManyToManyField(
        "complaints.Category", blank=True, related_name="knowledge_articles", verbose_name=_("categories")
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True, help_text=_("Empty: no end date."))
    source_document = models.CharField(
        _("source document"),
        max_length=SOURCE_MAX_LENGTH,
        blank=True,
        help_text=_("The document the answer rests on: its name and number."),
    )
    source_url = models.URLField(_("source link"), max_length=500, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # An article outlives the account of the person who wrote it.
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    use_count = models.PositiveIntegerField(_("times used"), default=0, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    # No b-tree on the dates or the flag: nearly every article is valid and not
    # archived, so they would not narrow a search; the trigram indexes do.
    is_archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("knowledge article")
        verbose_name_plural = _("knowledge articles")
        constraints = [
            models.CheckConstraint(condition=_valid_dates_in_order(), name="knowledge_valid_until_after_from"),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="knowledge_version_positive"),
            models.CheckConstraint(condition=~models.Q(title=""), name="knowledge_title_not_empty"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("dispatch:knowledge_detail", args=[self.pk])

    def is_valid_on(self, day) -> bool:
        return not self.is_archived and self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class KnowledgeArticleVersion(models.Model):
    """What an article said at one version, and who wrote it: the article's
    history, one row per version (the current one included), never edited."""

    article = models.ForeignKey(
        KnowledgeArticle, on_delete=models.CASCADE, related_name="versions", verbose_name=_("article")
    )
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    answer = models.TextField(_("answer"))
    # Ids, not a relation: the snapshot says what was chosen then, even of a category since removed.
    category_ids = models.JSONField(_("categories"), default=list, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    source_document = models.CharField(_("source document"), max_length=SOURCE_MAX_LENGTH, blank=True)
    source_url = models.URLField(_("source link"), max_length=500, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("edited by"),
    )
    edited_at = models.DateTimeField(_("edited"), default=timezone.now)

    class Meta:
        ordering = ["article", "-version"]
        verbose_name = _("knowledge article version")
        verbose_name_plural = _("knowledge article versions")
        constraints = [
            models.UniqueConstraint(fields=["article", "version"], name="knowledge_version_unique"),
            models.CheckConstraint(condition=_valid_dates_in_order(), name="knowledge_version_valid_until_after_from"),
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"
