"""The 12345 centre's actions on one order: dispatch by hand, route again, change
category or priority, reject. Each finds the order as the pages do (404 when the
user cannot see it), then calls the one service; the service refuses anyone but
the centre (403), a stale version (409) and what the state does not allow (400)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from complaints.models import Priority
from dispatch.api.centre.common import OrderStateSerializer, VersionedInputSerializer, order_state, parsed
from dispatch.api.handler.serializers import UnitRefSerializer
from dispatch.selectors import order_get_for
from dispatch.services.priority import complaint_set_priority
from dispatch.services.triage import triage_dispatch_to, triage_recategorise, triage_reject, triage_route_again
from portal.api.schema import errors

ERRORS = errors(400, 401, 403, 404, 409)


class OrderDispatchApi(APIView):
    class InputSerializer(VersionedInputSerializer):
        unit = serializers.CharField(max_length=120, help_text="The unit's code, its id, or its exact name.")
        note = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)

        class Meta:
            ref_name = "CentreDispatchInput"

    class OutputSerializer(OrderStateSerializer):
        unit = UnitRefSerializer(help_text="The unit the order now lies with.")

        class Meta:
            ref_name = "CentreDispatched"

    @extend_schema(
        summary="Dispatch an order by hand",
        description="From triage, or away from the unit holding it now (its assignment is superseded).",
        request=InputSerializer,
        responses={200: OutputSerializer, **ERRORS},
    )
    def post(self, request, tracking_number: str):
        view = order_get_for(user=request.user, tracking_number=tracking_number)
        data = parsed(self.InputSerializer, request)
        assignment = triage_dispatch_to(
            user=request.user,
            complaint_id=view.complaint.pk,
            unit=data["unit"],
            note=data["note"],
            version=data["version"],
        )
        return Response(self.OutputSerializer(order_state(assignment.complaint, unit=assignment.unit)).data)


class OrderRerouteApi(APIView):
    class InputSerializer(VersionedInputSerializer):
        class Meta:
            ref_name = "CentreRerouteInput"

    class OutputSerializer(OrderStateSerializer):
        unit = UnitRefSerializer(help_text="The unit the routing rules chose this time.")

        class Meta:
            ref_name = "CentreRerouted"

    @extend_schema(
        summary="Route a returned order again",
        description="Runs the routing rules again, leaving out every unit that has returned the order.",
        request=InputSerializer,
        responses={200: OutputSerializer, **ERRORS},
    )
    def post(self, request, tracking_number: str):
        view = order_get_for(user=request.user, tracking_number=tracking_number)
        data = parsed(self.InputSerializer, request)
        assignment = triage_route_again(user=request.user, complaint_id=view.complaint.pk, version=data["version"])
        return Response(self.OutputSerializer(order_state(assignment.complaint, unit=assignment.unit)).data)


class OrderCategoryApi(APIView):
    class InputSerializer(VersionedInputSerializer):
        category = serializers.IntegerField(min_value=1, help_text="The new category's id (a sub-category).")
        reroute = serializers.BooleanField(
            required=False, default=True, help_text="Route it again by the new category, if it waits in triage."
        )

        class Meta:
            ref_name = "CentreCategoryInput"

    class OutputSerializer(OrderStateSerializer):
        category = serializers.CharField(source="category_code", help_text="The new category's code.")
        in_triage = serializers.BooleanField(help_text="Still waits for the 12345 centre.")
        unit = UnitRefSerializer(allow_null=True, help_text="Where routing sent it, when it was routed again.")

        class Meta:
            ref_name = "CentreCategoryChanged"

    @extend_schema(
        summary="Change an order's category",
        description=(
            "An order waiting in triage is routed again by the new category (unless `reroute` is false); "
            "a unit that holds the order keeps it and its due times."
        ),
        request=InputSerializer,
        responses={200: OutputSerializer, **ERRORS},
    )
    def post(self, request, tracking_number: str):
        view = order_get_for(user=request.user, tracking_number=tracking_number)
        data = parsed(self.InputSerializer, request)
        done = triage_recategorise(
            user=request.user,
            complaint_id=view.complaint.pk,
            category_id=data["category"],
            version=data["version"],
            reroute=data["reroute"],
        )
        state = order_state(
            done.complaint,
            category_code=done.complaint.category.code,
            in_triage=done.in_triage,
            unit=done.assignment.unit if done.assignment else None,
        )
        return Response(self.OutputSerializer(state).data)


class OrderPriorityApi(APIView):
    class InputSerializer(VersionedInputSerializer):
        priority = serializers.ChoiceField(choices=Priority.choices)

        class Meta:
            ref_name = "CentrePriorityInput"

    class OutputSerializer(OrderStateSerializer):
        priority = serializers.ChoiceField(choices=Priority.choices)

        class Meta:
            ref_name = "CentrePriorityChanged"

    @extend_schema(
        summary="Change an order's priority",
        description="The live assignment's due times follow the policy of the new priority.",
        request=InputSerializer,
        responses={200: OutputSerializer, **ERRORS},
    )
    def post(self, request, tracking_number: str):
        view = order_get_for(user=request.user, tracking_number=tracking_number)
        data = parsed(self.InputSerializer, request)
        complaint = complaint_set_priority(
            user=request.user, complaint_id=view.complaint.pk, priority=data["priority"], version=data["version"]
        )
        return Response(self.OutputSerializer(order_state(complaint, priority=complaint.priority)).data)


class OrderRejectApi(APIView):
    class InputSerializer(VersionedInputSerializer):
        reason = serializers.CharField(
            allow_blank=True, help_text="Why it cannot be accepted (不予受理); the resident reads it."
        )

        class Meta:
            ref_name = "CentreRejectInput"

    class OutputSerializer(OrderStateSerializer):
        class Meta:
            ref_name = "CentreRejected"

    @extend_schema(
        summary="Reject an order as out of scope",
        description="Only before a unit has signed for it.",
        request=InputSerializer,
        responses={200: OutputSerializer, **ERRORS},
    )
    def post(self, request, tracking_number: str):
        view = order_get_for(user=request.user, tracking_number=tracking_number)
        data = parsed(self.InputSerializer, request)
        complaint = triage_reject(
            user=request.user, complaint_id=view.complaint.pk, reason=data["reason"], version=data["version"]
        )
        return Response(self.OutputSerializer(order_state(complaint)).data)
