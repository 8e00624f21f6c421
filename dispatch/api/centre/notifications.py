"""A signed-in person's own notifications (deadline warnings and breaches): the
list, the unread count, and marking one or all read. Nobody reads another's."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from dispatch.models import AlertKind
from dispatch.services.alerts_inbox import (
    notification_mark_read,
    notification_unread_count,
    notifications_for,
    notifications_mark_read,
    why_notified,
)
from portal.api.pagination import PagePagination
from portal.api.schema import errors


class NotificationSerializer(serializers.Serializer):
    """A notification as the notifications page shows it; no resident's personal data."""

    id = serializers.IntegerField()
    created_at = serializers.DateTimeField(help_text="When it was sent.")
    read = serializers.SerializerMethodField()
    read_at = serializers.DateTimeField(allow_null=True)
    kind = serializers.ChoiceField(source="alert.kind", choices=AlertKind.choices)
    text = serializers.CharField(source="alert.get_kind_display", help_text="What happened, in the reader's language.")
    why = serializers.SerializerMethodField(help_text="Why this person hears of it.")
    tracking_number = serializers.CharField(source="alert.assignment.complaint.tracking_number")
    unit = serializers.CharField(source="alert.assignment.unit.name", help_text="The accountable unit.")
    due = serializers.DateTimeField(source="alert.due", help_text="The deadline.")

    class Meta:
        ref_name = "Notification"

    def get_read(self, notification) -> bool:
        return notification.read_at is not None

    def get_why(self, notification) -> str:
        return why_notified(alert=notification.alert)


class NotificationListApi(APIView):
    pagination_class = PagePagination

    @extend_schema(
        summary="My notifications",
        description="Newest first, read and unread.",
        responses={200: NotificationSerializer(many=True), **errors(401, 404)},
    )
    def get(self, request):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(notifications_for(user=request.user), request, view=self)
        return paginator.get_paginated_response(NotificationSerializer(page, many=True).data)


class NotificationUnreadCountApi(APIView):
    class OutputSerializer(serializers.Serializer):
        unread = serializers.IntegerField()

        class Meta:
            ref_name = "NotificationUnreadCount"

    @extend_schema(summary="How many of my notifications are unread", responses={200: OutputSerializer, **errors(401)})
    def get(self, request):
        return Response(self.OutputSerializer({"unread": notification_unread_count(user=request.user)}).data)


class NotificationReadApi(APIView):
    @extend_schema(
        summary="Mark one of my notifications read",
        description="One already read keeps its time. Someone else's answers 404.",
        request=None,
        responses={200: NotificationSerializer, **errors(401, 404)},
    )
    def post(self, request, notification_id: int):
        notification = notification_mark_read(user=request.user, notification_id=notification_id)
        return Response(NotificationSerializer(notification).data)


class NotificationReadAllApi(APIView):
    class OutputSerializer(serializers.Serializer):
        marked = serializers.IntegerField(help_text="How many were unread.")

        class Meta:
            ref_name = "NotificationsMarkedRead"

    @extend_schema(
        summary="Mark all my notifications read", request=None, responses={200: OutputSerializer, **errors(401)}
    )
    def post(self, request):
        return Response(self.OutputSerializer({"marked": notifications_mark_read(user=request.user)}).data)
