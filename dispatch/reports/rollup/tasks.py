from celery import shared_task

from dispatch.reports.rollup.refresh import report_rollup_refresh

# A run stops starting batches after this long, so a backfill spreads over several runs
# of the beat and never piles them up; the changed days of the last minute come first.
RUN_SECONDS = 30


@shared_task(acks_late=True)
def refresh_report_rollup() -> int:
    """Sum again the days changed since the last run, then some never summed (the
    beat runs it every minute; a run that finds another one running does nothing)."""
    return report_rollup_refresh(seconds=RUN_SECONDS).days
