"""URLs of the reports pages, included into the dispatch namespace by dispatch/urls.py."""

from django.urls import path

from dispatch import views
from dispatch.views.reports.map import order_nearby, report_map, report_map_heat, report_map_open

urlpatterns = [
    path("reports/", views.report_index, name="report_index"),
    path("reports/rankings/", views.report_rankings, name="report_rankings"),
    path("reports/trends/", views.report_trends, name="report_trends"),
    path("reports/hotspots/", views.report_hotspots, name="report_hotspots"),
    path("reports/map/", report_map, name="report_map"),
    path("reports/map/open.json", report_map_open, name="report_map_open"),
    path("reports/map/heat.json", report_map_heat, name="report_map_heat"),
    # The order page's map: with the reports' maps, as it reads the same map selectors.
    path("orders/<str:tracking_number>/nearby.json", order_nearby, name="order_nearby"),
]
