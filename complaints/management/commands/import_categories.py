from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from complaints.services.categories import CATEGORIES_FILE, categories_import, categories_load
from portal.errors import ActionRefused


class Command(BaseCommand):
    help = "Import the complaint categories (two levels) from a JSON file; re-running updates by code."

    def add_arguments(self, parser):
        parser.add_argument(
            "--file", type=Path, default=CATEGORIES_FILE, help="JSON list of groups with children (default: shipped)."
        )

    def handle(self, *args, file, **options):
        try:
            result = categories_import(data=categories_load(path=file))
        except ActionRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Categories: {result}")
