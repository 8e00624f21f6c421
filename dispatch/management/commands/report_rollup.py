from django.core.management.base import BaseCommand, CommandError

from dispatch.reports.rollup.refresh import report_rollup_refresh


class Command(BaseCommand):
    help = (
        "Sum the reports' rollup: the days changed since the last refresh, then days never summed, newest "
        "first. The beat does this every minute; --all sums everything now (after a restore or an import)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Keep going until every day is summed.")
        parser.add_argument(
            "--batches", type=int, default=12, help="Months of days to sum at most without --all (default 12)."
        )

    def handle(self, *args, **options):
        if options["batches"] < 1:
            raise CommandError("--batches must be at least 1.")
        result = report_rollup_refresh(max_batches=None if options["all"] else options["batches"])
        if result.busy:
            self.stdout.write(f"Summed {result.days} days; another refresh is running, it sums the rest.")
        elif result.more:
            self.stdout.write(f"Summed {result.days} days in {result.batches} batches; run again (or --all) for more.")
        else:
            self.stdout.write(f"Summed {result.days} days in {result.batches} batches; every day over is summed.")
