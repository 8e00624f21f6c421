"""URLs of the personal data log, included into the dispatch namespace by dispatch/urls/__init__.py."""

from django.urls import path

from dispatch.views.audit import personal_data_log

urlpatterns = [
    path("audit/personal-data/", personal_data_log, name="personal_data_log"),
]
