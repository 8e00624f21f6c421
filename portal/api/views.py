from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from portal.api.errors import error_response


@extend_schema(exclude=True)
class NotFoundView(APIView):
    """Any other path under /api/: the API's own 404 body, not a web page, so a client
    with a typo in its URL reads what went wrong in the shape it reads every error in."""

    permission_classes = [AllowAny]
    authentication_classes = []

    def _answer(self, request, *args, **kwargs):
        path = request.path[:200]
        if not path.endswith("/") and _exists(path + "/"):
            # Django's slash redirect cannot carry a POST body: say where to send it.
            detail = _("No such API endpoint: %(path)s. Did you mean %(path)s/ ?") % {"path": path}
        else:
            detail = _("No such API endpoint: %(path)s") % {"path": path}
        return error_response(404, "not_found", detail)

    get = post = put = patch = delete = head = options = _answer


def _exists(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return getattr(match.func, "view_class", None) is not NotFoundView
