from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response

from complaints.open311.errors import Open311Error
from complaints.open311.output import definition_document, services_document
from complaints.open311.selectors import service_get, services_list
from complaints.open311.views.base import Open311View
from complaints.services.questions import questions_for
from portal.errors import NotFound


class ServiceListView(Open311View):
    def get(self, request, format):
        return Response(services_document(categories=services_list()))


class ServiceDefinitionView(Open311View):
    def get(self, request, service_code, format):
        try:
            category = service_get(code=service_code)
        except NotFound as exc:
            raise unknown_service(service_code) from exc
        return Response(definition_document(category=category, questions=questions_for(category=category)))


def unknown_service(code: str) -> Open311Error:
    return Open311Error(
        status.HTTP_404_NOT_FOUND,
        _("service_code %(code)s was not found; services.xml lists them.") % {"code": code[:60]},
    )
