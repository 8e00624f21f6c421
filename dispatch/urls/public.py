"""The public transparency page and its JSON twin, at /open/ (no login)."""

from django.urls import path

from dispatch.views.public import transparency, transparency_data

app_name = "public"

urlpatterns = [
    path("", transparency, name="transparency"),
    path("data.json", transparency_data, name="transparency_data"),
]
