"""The 12345 centre's callback queue (回访) over the API: the orders due for a call,
the resident's answers taken on the call, and "no answer", through the same
selectors and services as the desk pages. To anyone outside the centre these
endpoints answer 404."""

from django.conf import settings
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from complaints.api.fields import TextField
from complaints.forms.tracking import MAX_COMMENT
from complaints.models import ComplaintStatus, Satisfaction
from dispatch.api.centre.common import parsed
from dispatch.api.handler.serializers import CategoryRefSerializer, PlaceSerializer
from dispatch.models import PersonalDataDoor
from dispatch.selectors.callbacks import callback_get_for, callback_queue_for
from dispatch.services.audit import personal_data_views_record
from dispatch.services.callbacks import callback_no_answer, callback_record_rating
from portal.api.pagination import PagePagination
from portal.api.schema import errors


class CallbackResidentSerializer(serializers.Serializer):
    name = serializers.SerializerMethodField(help_text="Null when the resident asked to hide their name.")
    phone = serializers.CharField(source="resident_phone", help_text="In full: the number to call.")

    class Meta:
        ref_name = "CallbackResident"

    def get_name(self, complaint) -> str | None:
        return None if complaint.hide_name else complaint.resident_name


class CallbackQueueApi(APIView):
    pagination_class = PagePagination

    class OutputSerializer(serializers.Serializer):
        tracking_number = serializers.CharField()
        category = CategoryRefSerializer()
        place = PlaceSerializer(source="region")
        resolved_by = serializers.CharField(source="resolved_by_name", help_text="The accountable unit.")
        handled_by = serializers.CharField(source="handled_by_name", help_text="Who worked it (a community, say).")
        resolved_at = serializers.DateTimeField()
        reply = serializers.CharField(allow_null=True, help_text="The reply the resident was given.")
        attempts = serializers.IntegerField(source="attempts_made", help_text="Unanswered calls on this resolution.")
        attempts_allowed = serializers.SerializerMethodField(
            help_text="The unanswered call that reaches this number closes the order as unreachable."
        )
        last_attempt_at = serializers.DateTimeField(allow_null=True)
        resident = CallbackResidentSerializer(source="*")

        class Meta:
            ref_name = "CallbackQueueRow"

        def get_attempts_allowed(self, complaint) -> int:
            return settings.WHISTLE_CALLBACK_ATTEMPTS

    @extend_schema(
        summary="The callback queue",
        description="Resolved orders the resident has not rated, due for a callback (WHISTLE_CALLBACK_DELAY after "
        "the resolution, WHISTLE_CALLBACK_RETRY_AFTER after an unanswered call), resolved longest ago first, with "
        "the resident's name and phone in full: each row returned is written to the personal data log. The 12345 "
        "centre only (404 for anyone else).",
        responses={200: OutputSerializer(many=True), **errors(401, 404)},
    )
    def get(self, request):
        rows = callback_queue_for(user=request.user, now=timezone.now()).select_related("region__parent__parent")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        personal_data_views_record(user=request.user, complaints=page, door=PersonalDataDoor.CALLBACK_API)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)


class CallbackRateApi(APIView):
    class InputSerializer(serializers.Serializer):
        solved = serializers.BooleanField(help_text="Does the resident say the problem is solved?")
        satisfaction = serializers.ChoiceField(choices=Satisfaction.choices)
        comment = TextField(
            max_length=MAX_COMMENT, required=False, allow_blank=True, default="", help_text="The resident reads it."
        )

        class Meta:
            ref_name = "CallbackRateInput"

    class OutputSerializer(serializers.Serializer):
        tracking_number = serializers.CharField(source="complaint.tracking_number")
        status = serializers.ChoiceField(
            source="complaint.status",
            choices=ComplaintStatus.choices,
            help_text="`closed`; when not satisfied, `assigned` again to the unit that resolved it.",
        )
        round = serializers.IntegerField()
        solved = serializers.BooleanField()
        satisfaction = serializers.ChoiceField(choices=Satisfaction.choices)
        by_phone = serializers.BooleanField()
        created_at = serializers.DateTimeField()

        class Meta:
            ref_name = "CallbackRated"

    @extend_schema(
        summary="Record the resident's rating taken on the callback",
        description="The resident's answers, recorded by the operator: they count, close and reopen exactly as "
        "the resident's own rating. An order not due yet, not resolved, already rated or closed is a 400 "
        "(`refused`), nothing saved.",
        request=InputSerializer,
        responses={201: OutputSerializer, **errors(400, 401, 404)},
    )
    def post(self, request, tracking_number: str):
        complaint = callback_get_for(user=request.user, tracking_number=tracking_number)
        data = parsed(self.InputSerializer, request)
        rating = callback_record_rating(user=request.user, complaint_id=complaint.pk, **data)
        rating.complaint.refresh_from_db(fields=["status"])
        return Response(self.OutputSerializer(rating).data, status=201)


class CallbackNoAnswerApi(APIView):
    class OutputSerializer(serializers.Serializer):
        tracking_number = serializers.CharField()
        status = serializers.ChoiceField(choices=ComplaintStatus.choices, help_text="`closed` when it was the last.")
        attempt = serializers.IntegerField(help_text="This call's number on the current resolution.")
        attempts_allowed = serializers.IntegerField()
        closed_unreachable = serializers.BooleanField()

        class Meta:
            ref_name = "CallbackNoAnswer"

    @extend_schema(
        summary="Record a callback nobody answered",
        description="The order comes back after WHISTLE_CALLBACK_RETRY_AFTER; the WHISTLE_CALLBACK_ATTEMPTS-th "
        "unanswered call closes it as “resident unreachable”, with no rating. A second one within the retry "
        "interval (two operators on one order), or an order not due, not resolved or already rated, is a 400 "
        "(`refused`), nothing saved.",
        request=None,
        responses={200: OutputSerializer, **errors(400, 401, 404)},
    )
    def post(self, request, tracking_number: str):
        complaint = callback_get_for(user=request.user, tracking_number=tracking_number)
        outcome = callback_no_answer(user=request.user, complaint_id=complaint.pk)
        complaint.refresh_from_db(fields=["status"])
        answer = {
            "tracking_number": complaint.tracking_number,
            "status": complaint.status,
            "attempt": outcome.attempt,
            "attempts_allowed": outcome.attempts,
            "closed_unreachable": outcome.closed,
        }
        return Response(self.OutputSerializer(answer).data)
