"""What the resident's and the reference endpoints share: anonymous, throttled per
client address, JSON bodies no bigger than Django's own limit."""

from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, status
from rest_framework.permissions import AllowAny
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from portal.api.schema import ErrorSerializer


class ResidentRateThrottle(AnonRateThrottle):
    """REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["api_anon"] (WHISTLE_API_ANON_RATE) per client address."""

    scope = "api_anon"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "too_large"


class ResidentApiView(APIView):
    """A door for anyone: no sign-in (the tracking number and the phone's last four
    digits are the resident's proof), so no session and no CSRF either."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ResidentRateThrottle]

    def handle_exception(self, exc):
        # Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE as a bare 400 page;
        # say what it is, in the API's error shape.
        if isinstance(exc, RequestDataTooBig):
            exc = PayloadTooLarge()
        return super().handle_exception(exc)


BODY_ERRORS = {
    413: OpenApiResponse(ErrorSerializer, description="The body is larger than the server accepts; nothing changed."),
    415: OpenApiResponse(ErrorSerializer, description="The body is not `application/json`; nothing changed."),
}
