"""URLs of the extensions pages, included into the dispatch namespace by dispatch/urls.py."""

from django.urls import path

from dispatch.views.extensions import ask_for_time, decide_extension, extension_list, set_priority

urlpatterns = [
    path("extensions/", extension_list, name="extensions"),
    path("extensions/<int:extension_id>/decide/", decide_extension, name="extension_decide"),
    path("orders/<str:tracking_number>/more-time/", ask_for_time, name="extension_request"),
    path("orders/<str:tracking_number>/priority/", set_priority, name="set_priority"),
]
