"""The public transparency page's numbers: per street and district, for a month,
orders received and the three rates, and the top categories.

Only unit, place and category names and counts leave this module: no resident,
no description, no address, no reply. The street figures are the rankings'
(`unit_rankings` of the street offices, city-wide), so the public sees what the
supervisors see. A district's rates are recomputed from its streets' summed
counts through the same formulas, never averaged from their percentages: a
street with two orders must not weigh like one with two thousand.

The counts (never rendered words) are cached for CACHE_SECONDS under a key of
the month alone: one computation serves the city and every district, in either
language. Seven queries when the cache is cold, none when it is warm.

Three modules: `rows` (what the page shows, rates read from counts), `counts` (the
cached SQL aggregates) and `report` (the city or one district, from those counts).
"""

from dispatch.reports.public.counts import CACHE_SECONDS, month_figures
from dispatch.reports.public.report import MONTHS_BACK, TOP_CATEGORIES, available_months, transparency_report
from dispatch.reports.public.rows import CategoryRow, DistrictRow, Figures, StreetRow, TransparencyReport

__all__ = [
    "CACHE_SECONDS",
    "MONTHS_BACK",
    "TOP_CATEGORIES",
    "CategoryRow",
    "DistrictRow",
    "Figures",
    "StreetRow",
    "TransparencyReport",
    "available_months",
    "month_figures",
    "transparency_report",
]
