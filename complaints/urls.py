from django.urls import path

from complaints import views
from complaints.views import notices, photos
from complaints.views.places import place_locate, place_outline

app_name = "complaints"

urlpatterns = [
    path("", views.home, name="home"),
    path("file/", views.complaint_file, name="file"),
    path("filed/<str:tracking_number>/", views.complaint_filed, name="filed"),
    path("places/<str:code>/children.json", views.place_children, name="places"),
    path("places/locate.json", place_locate, name="place_locate"),
    path("places/<str:code>/outline.json", place_outline, name="place_outline"),
    path("track/", views.complaint_track_view, name="track"),
    path("track/<str:tracking_number>/", views.complaint_track_detail, name="track_detail"),
    path("track/<str:tracking_number>/rate/", views.complaint_rate_view, name="rate"),
    path("track/<str:tracking_number>/photos/<uuid:key>/", photos.complaint_photo, name="photo"),
    path(
        "track/<str:tracking_number>/photos/<uuid:key>/thumb/",
        photos.complaint_photo,
        {"thumbnail": True},
        name="photo_thumb",
    ),
    path("notices/rate/<str:token>/", notices.notice_rate_view, name="notice_rate"),
    path("notices/stop/<str:token>/", notices.notice_stop_view, name="notice_stop"),
    path("photos/<uuid:key>/", photos.public_photo, name="public_photo"),
    path("photos/<uuid:key>/thumb/", photos.public_photo, {"thumbnail": True}, name="public_photo_thumb"),
]
