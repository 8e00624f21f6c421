"""The resident's and the reference API under /api/v1/: the same services and
selectors as the pages, one thin view per operation."""

from django.urls import path

from complaints.api.intake import ComplaintFileApi
from complaints.api.photos import ComplaintPhotosApi, PhotoFileApi, PhotoThumbnailApi
from complaints.api.rating import ComplaintRateApi
from complaints.api.reference import CategoryDetailApi, CategoryListApi, PlaceDetailApi, PlaceListApi
from complaints.api.tracking import ComplaintTrackApi

app_name = "complaints_api"

urlpatterns = [
    path("complaints/", ComplaintFileApi.as_view(), name="file"),
    path("complaints/track/", ComplaintTrackApi.as_view(), name="track"),
    path("complaints/rate/", ComplaintRateApi.as_view(), name="rate"),
    path("complaints/track/photos/", ComplaintPhotosApi.as_view(), name="photos"),
    path("complaints/photos/<str:link>/", PhotoFileApi.as_view(), name="photo_file"),
    path("complaints/photos/<str:link>/thumb/", PhotoThumbnailApi.as_view(), name="photo_thumbnail"),
    path("places/", PlaceListApi.as_view(), name="places"),
    path("places/<str:code>/", PlaceDetailApi.as_view(), name="place"),
    path("categories/", CategoryListApi.as_view(), name="categories"),
    path("categories/<int:category_id>/", CategoryDetailApi.as_view(), name="category"),
]
