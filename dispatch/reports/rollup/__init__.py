"""The reports' daily rollup, exact and fresh.

- `days`: which days of a report's range are read from the rollup (summed, not
  changed since, and over) and the windows of time the rest is counted live in;
- `sums`: what a day's rows hold, counted by the same conditions the live reports use;
- `refresh`: `report_rollup_refresh()`, run by the beat every minute (`tasks`) and by
  `manage.py report_rollup`, sums the changed days again and the days never summed;
- the triggers that log changed days are created by migration 0015_report_rollup.

A report adds the rollup's rows for its summed days to the live count of the others,
so what it shows is what the live queries alone would show, at once after any change.
"""
