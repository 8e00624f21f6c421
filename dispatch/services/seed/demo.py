"""Demo accounts for `make run`: one person per role, all with the same password."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints.services.regions import ImportResult
from dispatch.models import Membership, Role, Unit
from portal.errors import ActionRefused

DEMO_PASSWORD = "whistle-demo"  # noqa: S105 - the demo accounts' published password, used by demo seeding only


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    unit: str | None
    role: str | None
    try_this: str


DEMO_ACCOUNTS = (
    DemoAccount(
        "dhm_handler",
        "东华门街道 接诉员",
        "s-110101001",
        Role.HANDLER,
        gettext_lazy("Sign for noise filed at 多福巷社区; hand one down to the community"),
    ),
    DemoAccount(
        "js_handler",
        "景山街道 接诉员",
        "s-110101002",
        Role.HANDLER,
        gettext_lazy("Sees only 景山街道's orders, none of 东华门's"),
    ),
    DemoAccount(
        "jw_handler",
        "建外街道 接诉员",
        "s-110105001",
        Role.HANDLER,
        gettext_lazy("A street office in another district (朝阳区)"),
    ),
    DemoAccount(
        "dfx_handler",
        "多福巷社区 接诉员",
        "c-110101001001",
        Role.HANDLER,
        gettext_lazy("Works what 东华门街道 hands down"),
    ),
    DemoAccount(
        "dc_market_handler",
        "东城区市场监管局 接诉员",
        "dep-110101-market",
        Role.HANDLER,
        gettext_lazy("Food safety and price complaints in 东城区"),
    ),
    DemoAccount(
        "dc_cm_handler",
        "东城区城管执法局 接诉员",
        "dep-110101-city_management",
        Role.HANDLER,
        gettext_lazy("Illegal construction and street vending in 东城区"),
    ),
    DemoAccount(
        "dispatcher",
        "12345中心 调度员",
        "centre",
        Role.DISPATCHER,
        gettext_lazy("Triage: file under 其他 and dispatch it by hand"),
    ),
    DemoAccount(
        "operator",
        "12345中心 话务员",
        "centre",
        Role.OPERATOR,
        gettext_lazy("Hotline: take a call (?caller=13800138000), answer from the knowledge base, call residents back"),
    ),
    DemoAccount(
        "dhm_supervisor",
        "东华门街道 督办员",
        "s-110101001",
        Role.SUPERVISOR,
        gettext_lazy("Hears first when a 东华门街道 order misses its deadline (Notifications)"),
    ),
    DemoAccount(
        "dc_supervisor",
        "东城区 督办员",
        "d-110101",
        Role.SUPERVISOR,
        gettext_lazy("Overdue orders and rankings for 东城区"),
    ),
    DemoAccount(
        "city_supervisor", "北京市 督办员", "bj", Role.SUPERVISOR, gettext_lazy("City-wide overdue orders and rankings")
    ),
    DemoAccount("admin", "系统管理员", None, None, gettext_lazy("Django admin at /admin/")),
)


def demo_accounts_seed(*, reset_passwords: bool = False) -> ImportResult:
    """The demo people and their memberships. The password is set when an account
    is created (or on request): hashing it again on every `make run` would cost
    seconds and undo a password someone changed on purpose."""
    User = get_user_model()
    units = {unit.code: unit for unit in Unit.objects.filter(code__in=[a.unit for a in DEMO_ACCOUNTS if a.unit])}
    if len(units) != len({a.unit for a in DEMO_ACCOUNTS if a.unit}):
        raise ActionRefused(_("Seed the units first (manage.py seed_reference)."))
    result = ImportResult()
    with transaction.atomic():
        for account in DEMO_ACCOUNTS:
            is_admin = account.unit is None
            user, created = User.objects.get_or_create(username=account.username)
            wanted = {
                "first_name": account.first_name,
                # Reserved .invalid domain: under make run the console mail backend shows
                # the deadline alerts these people get, and no real mail can ever leave.
                "email": f"{account.username}@demo.whistle.invalid",
                "is_staff": is_admin,
                "is_superuser": is_admin,
                "is_active": True,
            }
            changed = [field for field, value in wanted.items() if getattr(user, field) != value]
            for field in changed:
                setattr(user, field, wanted[field])
            if created or reset_passwords or not user.has_usable_password():
                user.set_password(DEMO_PASSWORD)
                changed.append("password")
            if changed:
                user.save(update_fields=changed)
            joined = False
            if not is_admin:
                _membership, joined = Membership.objects.get_or_create(
                    user=user, unit=units[account.unit], role=account.role
                )
            if created:
                result.created += 1
            elif changed or joined:
                result.updated += 1
            else:
                result.unchanged += 1
    return result
