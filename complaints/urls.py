from django.urls import path

from complaints import views

app_name = "complaints"

urlpatterns = [
    path("", views.home, name="home"),
    path("file/", views.complaint_file, name="file"),
    path("filed/<str:tracking_number>/", views.complaint_filed, name="filed"),
    path("places/<str:code>/children.json", views.place_children, name="places"),
    path("track/", views.complaint_track_view, name="track"),
    path("track/<str:tracking_number>/", views.complaint_track_detail, name="track_detail"),
    path("track/<str:tracking_number>/rate/", views.complaint_rate_view, name="rate"),
]
