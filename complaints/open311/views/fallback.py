import re

from django.utils.translation import gettext as _
from rest_framework import status

from complaints.open311.errors import Open311Error
from complaints.open311.views.base import Open311View

# A resource with no format, or one we do not speak: `services`, `services.html`, `requests/123`.
RESOURCE = re.compile(r"(discovery|services|requests|tokens)(\.[^/]*)?/?")
ITEM = re.compile(r"(services|requests|tokens)/[^/]+?/?")


class NoSuchResourceView(Open311View):
    """Every other path under /open311/v2/: a resource without `.xml` or `.json`
    is a 400 that says so; anything else is a 404. Both in XML."""

    authentication_classes = []

    def _answer(self, request, rest: str = "", **kwargs):
        path = rest[:100]
        resource = RESOURCE.fullmatch(path)
        if resource or ITEM.fullmatch(path):
            base = resource.group(1) if resource else path.rstrip("/")
            raise Open311Error(
                status.HTTP_400_BAD_REQUEST,
                _("Add the format to the URL: %(path)s.xml or %(path)s.json.") % {"path": base},
            )
        if not path:
            raise Open311Error(
                status.HTTP_404_NOT_FOUND, _("This is an Open311 GeoReport v2 endpoint: start at discovery.xml.")
            )
        raise Open311Error(
            status.HTTP_404_NOT_FOUND, _("No such Open311 resource: %(path)s. Start at discovery.xml.") % {"path": path}
        )

    get = post = put = patch = delete = head = options = _answer
