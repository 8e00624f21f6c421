from django.core.management.base import BaseCommand, CommandError

from dispatch.services.seed import reference_seed
from portal.errors import ActionRefused


class Command(BaseCommand):
    help = "Seed the reference data a deployment needs: Beijing's regions, categories, units and routing rules."

    def handle(self, *args, **options):
        self.stdout.write(seed_reference_summary())


def seed_reference_summary() -> str:
    """Seed, and say what changed in one line; shared with seed_demo."""
    try:
        results = reference_seed()
    except ActionRefused as error:
        raise CommandError(str(error)) from error
    return "Reference data — " + "; ".join(f"{what}: {result}" for what, result in results.items())
