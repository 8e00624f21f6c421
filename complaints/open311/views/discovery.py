from rest_framework.response import Response

from complaints.open311.output import discovery_document
from complaints.open311.views.base import Open311View


class DiscoveryView(Open311View):
    def get(self, request, format):
        root = request.build_absolute_uri(request.path).rsplit("/", 1)[0]
        return Response(discovery_document(endpoint_url=root))
