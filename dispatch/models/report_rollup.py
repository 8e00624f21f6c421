"""The reports' daily rollup: sums kept by the refresh, read for the days they are exact.

A report over a long range (a month's rankings, a year of trends) reads one row per
day (and per unit, or per subtree) instead of every assignment. The sums are exact
because a day is only read from here while it is summed (a `ReportRollupDay`) and
not in the changes log (`ReportRollupChange`): database triggers on the assignments,
extensions, ratings and complaints append the Beijing days a write touches to that
log at once, in the writer's transaction, so a change is read live until the refresh
has summed its day again. See dispatch/reports/rollup/.
"""

from django.db import models


class ReportRollupChange(models.Model):
    """A Beijing day whose sums a write has changed since it was summed. Append-only
    and without a unique key: concurrent writers touching "today" never wait on one
    another's row; the refresh takes a day's rows out when it sums the day again."""

    id = models.BigAutoField(primary_key=True)
    day = models.DateField(db_index=True)

    class Meta:
        verbose_name = "report rollup change"

    def __str__(self):
        return f"changed {self.day}"


class ReportRollupDay(models.Model):
    """A Beijing day whose sums are in the rollup tables, and when they were summed."""

    day = models.DateField(primary_key=True)
    summed_at = models.DateTimeField()

    class Meta:
        verbose_name = "report rollup day"

    def __str__(self):
        return f"{self.day} summed at {self.summed_at:%Y-%m-%d %H:%M:%S}"


class RollupUnitDay(models.Model):
    """One unit's own counts on one Beijing day, each on the day of the date it is
    counted by (as the rankings count a month): contact deadlines due and met,
    orders received, resolved, reopened and returned, summonses due and reported
    in time, extensions approved, and the ratings given that judged its resolution."""

    day = models.DateField()
    unit = models.ForeignKey("dispatch.Unit", on_delete=models.CASCADE, related_name="+")
    due = models.PositiveIntegerField(default=0)
    met = models.PositiveIntegerField(default=0)
    received = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    returned = models.PositiveIntegerField(default=0)
    summoned = models.PositiveIntegerField(default=0)
    reported_in_time = models.PositiveIntegerField(default=0)
    extensions = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    solved = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    basically = models.PositiveIntegerField(default=0)
    # Trends' resolution deadlines missed (the contact deadlines missed are due − met).
    resolve_missed = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "report rollup of a unit's day"
        constraints = [models.UniqueConstraint(fields=["day", "unit"], name="rollup_unit_day_once")]

    def __str__(self):
        return f"{self.day} unit {self.unit_id}"


class RollupTrendDay(models.Model):
    """The trend series of one Beijing day for one subtree of the unit tree: `root`
    is a unit path prefix ending at a "/" (or "" for the whole city), and the row
    counts every unit whose path starts with it, so a scope's trend is a row a day."""

    day = models.DateField()
    root = models.CharField(max_length=255)
    orders_in = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    contact_missed = models.PositiveIntegerField(default=0)
    resolve_missed = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "report rollup of a subtree's day"
        constraints = [models.UniqueConstraint(fields=["root", "day"], name="rollup_trend_day_once")]

    def __str__(self):
        return f"{self.day} {self.root or 'city'}"


class RollupHotSpotMonth(models.Model):
    """Distinct complaints that got a lead assignment in one subtree in one Beijing
    month, per (top-level category, street) pair. Distinct counts do not add over
    days or over subtrees, so this is kept per month and read for one root only."""

    month = models.DateField()  # its first day
    root = models.CharField(max_length=255)
    category = models.ForeignKey("complaints.Category", on_delete=models.CASCADE, related_name="+")
    street = models.ForeignKey("complaints.Region", on_delete=models.CASCADE, null=True, related_name="+")
    complaints = models.PositiveIntegerField()

    class Meta:
        verbose_name = "report rollup of a subtree's month"
        indexes = [models.Index(fields=["root", "month"], name="rollup_hot_spot_root_month")]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.root or 'city'}: {self.complaints}"


class RollupReceivedDay(models.Model):
    """Demands received on one Beijing day (their filing day), per demand type and
    channel, for the trends page's breakdown: `root` ALL_FILED counts every demand
    filed (the 12345 centre's whole city); any other root counts those with a lead
    assignment in that subtree made on or after their filing day. Distinct demands do
    not add over subtrees, so a row is read for a scope of one root only."""

    ALL_FILED = "*"

    day = models.DateField()
    root = models.CharField(max_length=255)
    demand_type = models.CharField(max_length=16)
    channel = models.CharField(max_length=16)
    complaints = models.PositiveIntegerField()

    class Meta:
        verbose_name = "report rollup of a day's demands received"
        # Carrying what the breakdown sums, so a year of a root's rows is read from the index alone.
        indexes = [
            models.Index(
                fields=["root", "day"],
                include=["demand_type", "channel", "complaints"],
                name="rollup_received_root_day",
            )
        ]

    def __str__(self):
        return f"{self.day} {self.root or 'city'} {self.demand_type}/{self.channel}: {self.complaints}"
