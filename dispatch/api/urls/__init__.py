"""The staff API's URLs: the handler's (queues, orders, their actions) and the
12345 centre's and supervisors' (triage, extensions, reports, notifications, units)."""

from dispatch.api.urls.centre import urlpatterns as centre
from dispatch.api.urls.handler import urlpatterns as handler

app_name = "dispatch_api"

urlpatterns = [*handler, *centre]
