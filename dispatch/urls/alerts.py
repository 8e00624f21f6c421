"""URLs of the alerts pages, included into the dispatch namespace by dispatch/urls.py."""

from django.urls import path

from dispatch import views

urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
]
