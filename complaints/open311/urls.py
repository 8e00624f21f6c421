"""Open311 GeoReport v2 at /open311/v2/, for civic clients that already speak it.

Every resource takes `.xml` or `.json`. Service codes carry a dot
(`noise.construction`), so the format is the last suffix: `services/noise.construction.xml`.
"""

from django.urls import re_path

from complaints.open311.views.discovery import DiscoveryView
from complaints.open311.views.fallback import NoSuchResourceView
from complaints.open311.views.requests import RequestDetailView, requests_endpoint
from complaints.open311.views.services import ServiceDefinitionView, ServiceListView
from complaints.open311.views.tokens import TokenView

app_name = "open311"

FORMAT = r"\.(?P<format>xml|json)"

urlpatterns = [
    re_path(rf"^discovery{FORMAT}$", DiscoveryView.as_view(), name="discovery"),
    re_path(rf"^services{FORMAT}$", ServiceListView.as_view(), name="services"),
    re_path(rf"^services/(?P<service_code>[^/]+?){FORMAT}$", ServiceDefinitionView.as_view(), name="service"),
    re_path(rf"^requests{FORMAT}$", requests_endpoint, name="requests"),
    re_path(rf"^requests/(?P<service_request_id>[^/]+?){FORMAT}$", RequestDetailView.as_view(), name="request"),
    re_path(rf"^tokens/(?P<token>[^/]+?){FORMAT}$", TokenView.as_view(), name="token"),
    re_path(r"^(?P<rest>.*)$", NoSuchResourceView.as_view(), name="elsewhere"),
]
