"""What every Open311 view shares: the format from the URL's suffix, api_key
authentication, the rate limit, the spec's error bodies, the reader's language,
and the jurisdiction check. Open311 is documented by its spec, not in the
/api/schema/ OpenAPI document, so these views are left out of it."""

from django.utils import translation
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from complaints.open311.errors import exception_handler
from complaints.open311.keys import Open311KeyAuthentication
from complaints.open311.parsing import field, form_of, jurisdiction_check
from complaints.open311.renderers import Open311JSONRenderer, Open311XMLRenderer
from complaints.open311.throttling import Open311Throttle

LANGUAGES = {"en": "en", "zh": "zh-hans"}


class SuffixNegotiation(BaseContentNegotiation):
    """The spec chooses the format by the URL's suffix alone; Accept headers
    (old clients send odd ones) and `?format=` are not consulted. No suffix
    (an error answer for a bad URL) gets XML, the format the spec requires."""

    def select_parser(self, request, parsers):
        return None

    def select_renderer(self, request, renderers, format_suffix=None):
        wanted = format_suffix or "xml"
        renderer = next((r for r in renderers if r.format == wanted), renderers[0])
        return renderer, renderer.media_type


class Open311View(APIView):
    schema = None
    authentication_classes = [Open311KeyAuthentication]
    permission_classes = [AllowAny]
    throttle_classes = [Open311Throttle]
    renderer_classes = [Open311XMLRenderer, Open311JSONRenderer]
    # Bodies are read by complaints.open311.parsing, strictly, only where a POST needs one.
    parser_classes = []
    content_negotiation_class = SuffixNegotiation
    metadata_class = None

    def get_exception_handler(self):
        return exception_handler

    def dispatch(self, request, *args, **kwargs):
        with translation.override(language_for(request)):
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        given = field(request.query_params, "jurisdiction_id", max_length=200)
        if not given and request.method == "POST":
            given = field(form_of(request), "jurisdiction_id", max_length=200)
        jurisdiction_check(given)


def language_for(request) -> str:
    """`?locale=en` (or `en_US`, `zh_CN`…) wins; else the language the portal
    already chose from Accept-Language."""
    wanted = (request.GET.get("locale") or "").strip().lower()[:2]
    return LANGUAGES.get(wanted) or translation.get_language() or "zh-hans"
