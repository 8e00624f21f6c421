from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from complaints.models.complaint import Priority

# Where neither a category nor its group says otherwise.
DUPLICATE_RADIUS_M = 200
DUPLICATE_WINDOW_HOURS = 72


class Category(models.Model):
    """A node of the two-level complaint taxonomy.

    The code is dotted by level (`noise`, `noise.construction`), so a category's
    subtree is its own code plus everything starting with `code.`; routing rules
    match on that without walking the tree.
    """

    code = models.CharField(
        _("code"),
        max_length=60,
        unique=True,
        validators=[RegexValidator(r"^[a-z0-9_-]+(\.[a-z0-9_-]+)?$", _("Lower-case words, one dot per level."))],
    )
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    description = models.CharField(_("hint for residents"), max_length=300, blank=True)
    default_priority = models.CharField(
        _("default priority"),
        max_length=8,
        choices=Priority.choices,
        blank=True,
        help_text=_("Empty: as the parent group (ordinary at the top)."),
    )
    # Empty: as the parent group, else the portal's default (DUPLICATE_RADIUS_M /
    # DUPLICATE_WINDOW_HOURS): noise carries further than a pothole is wide.
    duplicate_radius_m = models.PositiveIntegerField(
        _("duplicate radius (m)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Pinned complaints this close are shown as possible duplicates. Empty: as the parent group."),
    )
    duplicate_window_hours = models.PositiveIntegerField(
        _("duplicate time window (hours)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Complaints filed this long before or after are compared. Empty: as the parent group."),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duplicate_radius_m__isnull=True) | models.Q(duplicate_radius_m__gte=1),
                name="category_duplicate_radius_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(duplicate_window_hours__isnull=True) | models.Q(duplicate_window_hours__gte=1),
                name="category_duplicate_window_positive",
            ),
        ]

    def __str__(self):
        return f"{self.parent.name} / {self.name}" if self.parent_id else self.name

    @property
    def depth(self) -> int:
        return self.code.count(".") + 1

    def effective_priority(self) -> str:
        return self.default_priority or (self.parent.default_priority if self.parent_id else "") or Priority.NORMAL

    def effective_duplicate_radius_m(self) -> int:
        parent = self.parent.duplicate_radius_m if self.parent_id else None
        return self.duplicate_radius_m or parent or DUPLICATE_RADIUS_M

    def effective_duplicate_window_hours(self) -> int:
        parent = self.parent.duplicate_window_hours if self.parent_id else None
        return self.duplicate_window_hours or parent or DUPLICATE_WINDOW_HOURS

    def ancestor_codes(self) -> list[str]:
        """This code and every prefix of it: `["noise", "noise.construction"]`."""
        parts = self.code.split(".")
        return [".".join(parts[: i + 1]) for i in range(len(parts))]
