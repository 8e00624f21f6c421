"""The handler's URLs under /api/v1/ (namespace dispatch_api)."""

from django.urls import path

from dispatch.api.handler import actions, extensions, handing, orders, photos, queue, templates, units, whistle

ORDER = "orders/<str:tracking_number>/"

urlpatterns = [
    path("units/mine/", units.MyUnitsApi.as_view(), name="units_mine"),
    path("units/<int:unit_id>/queue/", queue.UnitQueueApi.as_view(), name="unit_queue"),
    path(ORDER, orders.OrderDetailApi.as_view(), name="order"),
    path(f"{ORDER}accept/", actions.AcceptApi.as_view(), name="order_accept"),
    path(f"{ORDER}contact/", actions.ContactApi.as_view(), name="order_contact"),
    path(f"{ORDER}notes/", actions.NoteApi.as_view(), name="order_note"),
    path(f"{ORDER}resolve/", actions.ResolveApi.as_view(), name="order_resolve"),
    path(f"{ORDER}hand-down/", handing.HandDownApi.as_view(), name="order_hand_down"),
    path(f"{ORDER}recall/", handing.RecallApi.as_view(), name="order_recall"),
    path(f"{ORDER}return/", handing.ReturnApi.as_view(), name="order_return"),
    path(f"{ORDER}whistle/", whistle.WhistleApi.as_view(), name="order_whistle"),
    path(f"{ORDER}whistle/report/", whistle.WhistleReportApi.as_view(), name="order_whistle_report"),
    path(f"{ORDER}more-time/", extensions.MoreTimeApi.as_view(), name="order_more_time"),
    path(f"{ORDER}templates/", templates.OrderTemplatesApi.as_view(), name="order_templates"),
    path(f"{ORDER}photos/", photos.OrderPhotoListApi.as_view(), name="order_photos"),
    path(f"{ORDER}photos/<uuid:key>/", photos.OrderPhotoFileApi.as_view(), name="order_photo_file"),
    path(f"{ORDER}photos/<uuid:key>/thumb/", photos.OrderPhotoThumbnailApi.as_view(), name="order_photo_thumbnail"),
]
