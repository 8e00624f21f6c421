from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import status
from rest_framework.response import Response

from complaints.open311.errors import Open311Error
from complaints.open311.filing import filing_parse
from complaints.open311.filters import requests_query_parse
from complaints.open311.keys import HasOpen311Key
from complaints.open311.output import created_document, requests_document
from complaints.open311.parsing import form_of, media_of
from complaints.open311.selectors import handling_facts_of, request_get, requests_page, service_codes_unknown
from complaints.open311.services import open311_request_submit
from complaints.open311.views.base import Open311View
from complaints.open311.views.services import unknown_service
from portal.errors import NotFound

# Sent beside the id: the spec's POST answer carries an id or a token, never both,
# and this server always has the id; the token still answers at tokens/{token}.
TOKEN_HEADER = "Open311-Token"  # noqa: S105 - a header name, not a secret


class _RequestsEndpoint(Open311View):
    """GET and POST share one URL; each is its own view, and each says both are allowed."""

    @property
    def allowed_methods(self):
        return ["GET", "HEAD", "POST"]


class RequestListView(_RequestsEndpoint):
    def get(self, request, format):
        query = requests_query_parse(request.query_params)
        unknown = service_codes_unknown(codes=query.service_codes) if query.service_codes else []
        if unknown:
            raise unknown_service(unknown[0])
        complaints, more = requests_page(query=query, viewer=request.auth)
        response = Response(_document(complaints))
        if more:
            response["Link"] = f'<{_page_url(request, query.page + 1)}>; rel="next"'
        return response


class RequestCreateView(_RequestsEndpoint):
    permission_classes = [HasOpen311Key]

    def post(self, request, format):
        filing = filing_parse(form_of(request))
        submission = open311_request_submit(client=request.auth, filing=filing, media=media_of(request))
        document = created_document(
            tracking_number=submission.complaint.tracking_number,
            emergency_words=submission.complaint.emergency_words,
        )
        return Response(document, headers={TOKEN_HEADER: str(submission.token)})


class RequestDetailView(Open311View):
    def get(self, request, service_request_id, format):
        try:
            complaint = request_get(tracking_number=service_request_id, viewer=request.auth)
        except NotFound as exc:
            raise Open311Error(
                status.HTTP_404_NOT_FOUND,
                _("service_request_id %(id)s was not found.") % {"id": service_request_id[:40]},
            ) from exc
        return Response(_document([complaint]))


def _document(complaints):
    return requests_document(complaints=complaints, facts=handling_facts_of(complaints=complaints))


def _page_url(request, page: int) -> str:
    params = request.query_params.copy()
    params["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


_list = RequestListView.as_view()
_create = RequestCreateView.as_view()


@csrf_exempt
def requests_endpoint(request, *args, **kwargs):
    view = _create if request.method == "POST" else _list
    return view(request, *args, **kwargs)
