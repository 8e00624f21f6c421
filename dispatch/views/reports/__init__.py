"""The supervisor's report pages: thin doors onto dispatch.reports."""

from dispatch.views.reports.hotspots import report_hotspots
from dispatch.views.reports.index import report_index
from dispatch.views.reports.rankings import report_rankings
from dispatch.views.reports.trends import report_trends

__all__ = ["report_hotspots", "report_index", "report_rankings", "report_trends"]
