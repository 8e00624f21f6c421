from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    STREET = "street", _("Street / township")
    COMMUNITY = "community", _("Community / village")


class Region(models.Model):
    """A place in the division tree, keyed by its National Bureau of Statistics code.

    NBS codes nest by prefix (district 110101, street 110101001, community
    110101001001), so "is X inside Y" is `X.code.startswith(Y.code)`: a subtree is
    one indexed range scan, no recursive query and no extra path column to keep right.
    """

    code = models.CharField(_("division code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level="city") | models.Q(parent__isnull=False), name="region_has_parent_below_city"
            ),
        ]

    def __str__(self):
        return self.name

    def contains(self, other: "Region") -> bool:
        return other.code.startswith(self.code)

    @property
    def street_code(self) -> str | None:
        return self.code[:9] if len(self.code) >= 9 else None

    @property
    def district_code(self) -> str | None:
        return self.code[:6] if len(self.code) >= 6 else None
