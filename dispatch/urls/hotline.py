"""URLs of the 12345 centre's hotline desk (坐席受理), included into the dispatch namespace."""

from django.urls import path

from dispatch.views import hotline

urlpatterns = [
    path("hotline/", hotline.hotline, name="hotline"),
    path("hotline/filed/<str:tracking_number>/", hotline.hotline_filed, name="hotline_filed"),
    path("hotline/places.json", hotline.hotline_places, name="hotline_places"),
    path("hotline/caller.json", hotline.hotline_caller, name="hotline_caller"),
    path("hotline/nearby.json", hotline.hotline_nearby, name="hotline_nearby"),
    path("hotline/questions.json", hotline.hotline_questions, name="hotline_questions"),
    path("hotline/knowledge.json", hotline.hotline_knowledge, name="hotline_knowledge"),
]
