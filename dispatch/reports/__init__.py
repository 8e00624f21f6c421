"""The supervisor's reports: overdue now, monthly rankings, trends and hot spots.

Selectors only. Each takes a `ReportScope` (whose part of the unit tree the
numbers cover, from `report_scope_for`) and computes its numbers in SQL
aggregates, so a page costs the same few queries for ten orders or ten million.
Months and days are Beijing calendar periods; stored times are UTC.
"""
