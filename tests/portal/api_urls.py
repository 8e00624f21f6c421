"""A URLconf with one endpoint, for the API's 404 tests."""

from django.urls import path, re_path
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.views import NotFoundView


class Echo(APIView):
    permission_classes = [AllowAny]

    def post(self, request):
        return Response({})


urlpatterns = [path("api/v1/echo/", Echo.as_view()), re_path(r"^api/", NotFoundView.as_view())]
