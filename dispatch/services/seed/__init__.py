"""Reference data a deployment needs (regions, categories, the unit tree, routing
rules, deadline policies) and the demo accounts, all idempotent so `make run` can seed every time."""

from django.db import transaction

from complaints.services.boundaries import boundaries_import_districts
from complaints.services.categories import categories_import, categories_load
from complaints.services.questions_seed import questions_seed
from complaints.services.regions import BEIJING_DATA_DIR, ImportResult, regions_import
from dispatch.services.seed.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoAccount, demo_accounts_seed
from dispatch.services.seed.policies import POLICIES_FILE, policies_seed
from dispatch.services.seed.rules import RULES_FILE, rules_seed
from dispatch.services.seed.units import community_name, street_office_name, units_seed

__all__ = [
    "DEMO_ACCOUNTS",
    "DEMO_PASSWORD",
    "RULES_FILE",
    "POLICIES_FILE",
    "DemoAccount",
    "community_name",
    "demo_accounts_seed",
    "policies_seed",
    "reference_seed",
    "rules_seed",
    "street_office_name",
    "units_seed",
]


def reference_seed() -> dict[str, ImportResult]:
    """Everything a real deployment needs, in one transaction."""
    with transaction.atomic():
        return {
            "regions": regions_import(source_dir=BEIJING_DATA_DIR),
            "outlines": boundaries_import_districts(),
            "categories": categories_import(data=categories_load()),
            "questions": questions_seed(),
            "units": units_seed(),
            "rules": rules_seed(),
            "policies": policies_seed(),
        }
