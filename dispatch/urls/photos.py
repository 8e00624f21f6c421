"""URLs of an order's photos, included into the dispatch namespace by dispatch/urls.py."""

from django.urls import path

from dispatch.views.photos import order_photo

urlpatterns = [
    path("orders/<str:tracking_number>/photos/<uuid:key>/", order_photo, name="order_photo"),
    path(
        "orders/<str:tracking_number>/photos/<uuid:key>/thumb/",
        order_photo,
        {"thumbnail": True},
        name="order_photo_thumb",
    ),
]
