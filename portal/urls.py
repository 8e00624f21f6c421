from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from portal.api.views import NotFoundView

handler403 = "portal.errors_views.permission_denied"
handler404 = "portal.errors_views.page_not_found"
handler500 = "portal.errors_views.server_error"

urlpatterns = [
    path("", include("complaints.urls")),
    path("desk/", include("dispatch.urls")),
    path("open/", include("dispatch.urls.public")),
    path("api/v1/", include("complaints.api.urls")),
    path("api/v1/", include("dispatch.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api_schema"), name="api_redoc"),
    re_path(r"^api/", NotFoundView.as_view()),
    path("open311/v2/", include("complaints.open311.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
