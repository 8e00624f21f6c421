from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response

from complaints.open311.errors import Open311Error
from complaints.open311.output import token_document
from complaints.open311.selectors import submission_by_token
from complaints.open311.views.base import Open311View
from portal.errors import NotFound


class TokenView(Open311View):
    def get(self, request, token, format):
        try:
            submission = submission_by_token(token=token)
        except NotFound as exc:
            raise Open311Error(
                status.HTTP_404_NOT_FOUND, _("token %(token)s was not found.") % {"token": token[:40]}
            ) from exc
        document = token_document(tracking_number=submission.complaint.tracking_number, token=str(submission.token))
        return Response(document)
