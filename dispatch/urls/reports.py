"""URLs of the reports pages, included into the dispatch namespace by dispatch/urls.py."""

from django.urls import path

from dispatch import views

urlpatterns = [
    path("reports/", views.report_index, name="report_index"),
    path("reports/rankings/", views.report_rankings, name="report_rankings"),
    path("reports/trends/", views.report_trends, name="report_trends"),
    path("reports/hotspots/", views.report_hotspots, name="report_hotspots"),
]
