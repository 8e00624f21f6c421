"""What the resident's and the reference endpoints share: anonymous and throttled per
client address. A body over Django's limit is a 413 for every API view (portal.api.errors)."""

from drf_spectacular.utils import OpenApiResponse
from rest_framework.permissions import AllowAny
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from portal.api.schema import ErrorSerializer


class ResidentRateThrottle(AnonRateThrottle):
    """REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["api_anon"] (WHISTLE_API_ANON_RATE) per client address."""

    scope = "api_anon"


class ResidentApiView(APIView):
    """A door for anyone: no sign-in (the tracking number and the phone's last four
    digits are the resident's proof), so no session and no CSRF either."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ResidentRateThrottle]


BODY_ERRORS = {
    413: OpenApiResponse(ErrorSerializer, description="The body is larger than the server accepts; nothing changed."),
    415: OpenApiResponse(ErrorSerializer, description="The body is not `application/json`; nothing changed."),
}
