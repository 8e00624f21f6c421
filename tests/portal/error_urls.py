"""The portal's URLconf plus views that fail on purpose, for the error-page tests."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from portal.urls import handler403, handler404, handler500  # noqa: F401
from portal.urls import urlpatterns as portal_urlpatterns


def forbidden(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("a view that breaks")


urlpatterns = [
    path("test-forbidden/", forbidden),
    path("test-broken/", broken),
    path("api/test-broken/", broken),
    path("open311/test-broken.xml", broken),
    *portal_urlpatterns,
]
