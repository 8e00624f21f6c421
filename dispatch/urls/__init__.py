from django.urls import include, path

from dispatch import views
from dispatch.views.queue_live import queue_live

app_name = "dispatch"

urlpatterns = [
    path("", views.home, name="home"),
    path("units/<int:unit_id>/queue/", views.queue, name="queue"),
    path("units/<int:unit_id>/queue/live.json", queue_live, name="queue_live"),
    path("units/search.json", views.unit_search, name="unit_search"),
    path("orders/<str:tracking_number>/", views.order, name="order"),
    path("orders/<str:tracking_number>/accept/", views.accept, name="accept"),
    path("orders/<str:tracking_number>/contact/", views.contact, name="contact"),
    path("orders/<str:tracking_number>/note/", views.note, name="note"),
    path("orders/<str:tracking_number>/hand-down/", views.hand_down, name="hand_down"),
    path("orders/<str:tracking_number>/resolve/", views.resolve, name="resolve"),
    path("orders/<str:tracking_number>/dispatch/", views.dispatch_to, name="dispatch_to"),
    path("orders/<str:tracking_number>/return/", views.return_order, name="return_order"),
    path("orders/<str:tracking_number>/recall/", views.recall, name="recall"),
    path("orders/<str:tracking_number>/reroute/", views.reroute, name="reroute"),
    path("orders/<str:tracking_number>/reject/", views.reject, name="reject"),
    path("orders/<str:tracking_number>/category/", views.recategorise, name="recategorise"),
    path("orders/<str:tracking_number>/place/", views.confirm_place, name="confirm_place"),
    path("orders/<str:tracking_number>/whistle/", views.whistle, name="whistle"),
    path("orders/<str:tracking_number>/whistle/report/", views.whistle_report_view, name="whistle_report"),
    path("orders/<str:tracking_number>/merge/", views.merge, name="merge"),
    path("orders/<str:tracking_number>/unmerge/", views.unmerge, name="unmerge"),
    path("triage/", views.triage, name="triage"),
    path("overdue/", views.overdue, name="overdue"),
    path("", include("dispatch.urls.extensions")),
    path("", include("dispatch.urls.alerts")),
    path("", include("dispatch.urls.reports")),
    path("", include("dispatch.urls.photos")),
    path("", include("dispatch.urls.knowledge")),
    path("", include("dispatch.urls.audit")),
    path("", include("dispatch.urls.reply_templates")),
    path("", include("dispatch.urls.hotline")),
    path("", include("dispatch.urls.callbacks")),
]
