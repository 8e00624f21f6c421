from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from complaints.open311.keys import DEMO_CLIENT_KEY, open311_demo_client_seed
from dispatch.management.commands.seed_reference import seed_reference_summary
from dispatch.models import Unit
from dispatch.services.seed import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_accounts_seed
from dispatch.services.seed.callers import DEMO_CALLER, demo_caller_seed
from dispatch.services.seed.knowledge import knowledge_seed
from dispatch.services.seed.reply_templates import reply_templates_seed
from portal.errors import ActionRefused


class Command(BaseCommand):
    help = "Seed the reference data and the demo accounts, then list the accounts to sign in with."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords", action="store_true", help=f"Set every demo account's password back to {DEMO_PASSWORD}."
        )

    def handle(self, *args, reset_passwords, **options):
        with transaction.atomic():
            self.stdout.write(seed_reference_summary())
            try:
                result = demo_accounts_seed(reset_passwords=reset_passwords)
            except ActionRefused as error:
                raise CommandError(str(error)) from error
            open311_client = open311_demo_client_seed()
            articles = knowledge_seed()
            reply_templates_seed()
            calls = demo_caller_seed()
        self.stdout.write(f"Demo accounts: {result}")
        self.stdout.write(f"Knowledge base articles: {articles}")
        self.stdout.write(f"A returning caller, {DEMO_CALLER}, with earlier demands: {calls}")
        self.stdout.write(self._table())
        self.stdout.write(f"Open311 demo client ({open311_client}): api_key={DEMO_CLIENT_KEY}")

    def _table(self) -> str:
        names = dict(Unit.objects.filter(code__in=[a.unit for a in DEMO_ACCOUNTS]).values_list("code", "name"))
        rows = [("username", "password", "role", "unit", "what to try")]
        rows += [
            (a.username, DEMO_PASSWORD, a.role or "superuser", names.get(a.unit, "—"), str(a.try_this))
            for a in DEMO_ACCOUNTS
        ]
        widths = [max(_width(row[i]) for row in rows) for i in range(4)]
        lines = [
            "  ".join(_pad(cell, width) for cell, width in zip(row[:4], widths, strict=True)) + "  " + row[4]
            for row in rows
        ]
        lines.insert(1, "-" * (sum(widths) + 8 + len(rows[0][4])))
        return "\n".join(lines)


def _width(text: str) -> int:
    """Display columns: a CJK character takes two."""
    return sum(2 if ord(char) > 0x2E7F else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
