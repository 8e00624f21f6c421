"""The 12345 centre's and supervisors' endpoints, and everyone's own notifications
and the unit directory. The handler's share `orders/<tracking_number>/…` and are
in dispatch/api/urls/handler.py."""

from django.urls import path

from dispatch.api.centre.callbacks import CallbackNoAnswerApi, CallbackQueueApi, CallbackRateApi
from dispatch.api.centre.extensions import ExtensionDecideApi, ExtensionListApi
from dispatch.api.centre.hotline import HotlineDemandFileApi, HotlineDirectAnswerApi, HotlineHistoryApi
from dispatch.api.centre.knowledge import (
    KnowledgeArticleApi,
    KnowledgeArticleCreateApi,
    KnowledgeArticleUpdateApi,
    KnowledgeSearchApi,
)
from dispatch.api.centre.merge import OrderMergeApi, OrderUnmergeApi
from dispatch.api.centre.notifications import (
    NotificationListApi,
    NotificationReadAllApi,
    NotificationReadApi,
    NotificationUnreadCountApi,
)
from dispatch.api.centre.orders import (
    OrderCategoryApi,
    OrderDispatchApi,
    OrderPriorityApi,
    OrderRejectApi,
    OrderRerouteApi,
)
from dispatch.api.centre.place import OrderPlaceApi
from dispatch.api.centre.reports.hotspots import HotspotsReportApi
from dispatch.api.centre.reports.overdue import OverdueReportApi
from dispatch.api.centre.reports.rankings import RankingsReportApi
from dispatch.api.centre.reports.trends import TrendsReportApi
from dispatch.api.centre.triage import TriageQueueApi
from dispatch.api.centre.units import UnitListApi

ORDER = "orders/<str:tracking_number>/"

urlpatterns = [
    path("triage/", TriageQueueApi.as_view(), name="triage"),
    path(ORDER + "dispatch/", OrderDispatchApi.as_view(), name="order_dispatch"),
    path(ORDER + "reroute/", OrderRerouteApi.as_view(), name="order_reroute"),
    path(ORDER + "category/", OrderCategoryApi.as_view(), name="order_category"),
    path(ORDER + "priority/", OrderPriorityApi.as_view(), name="order_priority"),
    path(ORDER + "reject/", OrderRejectApi.as_view(), name="order_reject"),
    path(ORDER + "merge/", OrderMergeApi.as_view(), name="order_merge"),
    path(ORDER + "unmerge/", OrderUnmergeApi.as_view(), name="order_unmerge"),
    path(ORDER + "place/", OrderPlaceApi.as_view(), name="order_place"),
    path("extensions/", ExtensionListApi.as_view(), name="extensions"),
    path("extensions/<int:extension_id>/decide/", ExtensionDecideApi.as_view(), name="extension_decide"),
    path("reports/overdue/", OverdueReportApi.as_view(), name="report_overdue"),
    path("reports/rankings/", RankingsReportApi.as_view(), name="report_rankings"),
    path("reports/trends/", TrendsReportApi.as_view(), name="report_trends"),
    path("reports/hotspots/", HotspotsReportApi.as_view(), name="report_hotspots"),
    path("notifications/", NotificationListApi.as_view(), name="notifications"),
    path("notifications/unread-count/", NotificationUnreadCountApi.as_view(), name="notifications_unread_count"),
    path("notifications/read-all/", NotificationReadAllApi.as_view(), name="notifications_read_all"),
    path("notifications/<int:notification_id>/read/", NotificationReadApi.as_view(), name="notification_read"),
    path("units/", UnitListApi.as_view(), name="units"),
    path("knowledge/", KnowledgeSearchApi.as_view(), name="knowledge_search"),
    path("knowledge/new/", KnowledgeArticleCreateApi.as_view(), name="knowledge_create"),
    path("knowledge/<int:article_id>/", KnowledgeArticleApi.as_view(), name="knowledge_article"),
    path("knowledge/<int:article_id>/edit/", KnowledgeArticleUpdateApi.as_view(), name="knowledge_update"),
    path("hotline/history/", HotlineHistoryApi.as_view(), name="hotline_history"),
    path("hotline/demands/", HotlineDemandFileApi.as_view(), name="hotline_demands"),
    path("hotline/direct-answers/", HotlineDirectAnswerApi.as_view(), name="hotline_direct_answers"),
    path("callbacks/", CallbackQueueApi.as_view(), name="callbacks"),
    path("callbacks/<str:tracking_number>/rate/", CallbackRateApi.as_view(), name="callback_rate"),
    path("callbacks/<str:tracking_number>/no-answer/", CallbackNoAnswerApi.as_view(), name="callback_no_answer"),
]
