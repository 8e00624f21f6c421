from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    CITY = "city", _("City government")
    CENTRE = "centre", _("12345 centre")
    DISTRICT = "district", _("District government")
    STREET_OFFICE = "street_office", _("Street office / township")
    COMMUNITY = "community", _("Residents' / villagers' committee")
    DEPARTMENT = "department", _("Department")
    UTILITY = "utility", _("Utility")


class DepartmentKind(models.TextChoices):
    CITY_MANAGEMENT = "city_management", _("City management & law enforcement")
    HOUSING = "housing", _("Housing & urban-rural construction")
    MARKET = "market", _("Market regulation")
    HRSS = "hrss", _("Human resources & social security")
    EDUCATION = "education", _("Education")
    HEALTH = "health", _("Health")
    TRANSPORT = "transport", _("Transport")
    PUBLIC_SECURITY = "public_security", _("Public security")
    WATER = "water", _("Water supply")
    HEATING = "heating", _("Heating")
    POWER = "power", _("Power supply")
    GAS = "gas", _("Gas supply")


class Unit(models.Model):
    """An organisation that handles orders, in the org tree city → district →
    street office → community, with departments under their district and
    utilities and the 12345 centre under the city.

    `path` is the chain of codes from the root ("bj/110101/110101001/"), kept by
    `dispatch.services.units`, so "everything a supervisor oversees" is one
    indexed prefix match.
    """

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices, db_index=True)
    department_kind = models.CharField(_("department kind"), max_length=20, choices=DepartmentKind.choices, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    region = models.ForeignKey(
        "complaints.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("serves"),
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind__in=["department", "utility"]) | ~models.Q(department_kind=""),
                name="unit_department_has_kind",
            ),
            # At most one department of a kind per district (and one utility of a kind city-wide).
            models.UniqueConstraint(
                fields=["parent", "department_kind"],
                condition=~models.Q(department_kind=""),
                name="unit_one_department_kind_per_parent",
            ),
            # One street office per street, one committee per community.
            models.UniqueConstraint(
                fields=["kind", "region"],
                condition=models.Q(kind__in=["street_office", "community", "district"]),
                name="unit_one_place_unit_per_region",
            ),
        ]

    def __str__(self):
        return self.name

    def contains(self, other: "Unit") -> bool:
        return other.path.startswith(self.path)


class Role(models.TextChoices):
    HANDLER = "handler", _("Handler")
    SUPERVISOR = "supervisor", _("Supervisor")
    DISPATCHER = "dispatcher", _("Central dispatcher")
    OPERATOR = "operator", _("Hotline operator")


class Membership(models.Model):
    """A person's role in a unit. Handlers work the unit's queue; supervisors see
    the unit's subtree; dispatchers (members of the 12345 centre) work triage;
    operators (also of the centre) take calls on the hotline desk and call
    residents back."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique")]

    def __str__(self):
        return f"{self.user} — {self.unit} ({self.get_role_display()})"
