"""What the 12345 centre's order actions share: the input every one of them carries
(the complaint's `version`, as on the order page) and the answer they give."""

from rest_framework import serializers

from complaints.models import Complaint, ComplaintStatus


class VersionedInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, help_text="The order's `version` as last read; a stale one is refused with 409."
    )


class OrderStateSerializer(serializers.Serializer):
    """Where the order stands after the action."""

    tracking_number = serializers.CharField()
    status = serializers.ChoiceField(choices=ComplaintStatus.choices)
    version = serializers.IntegerField(help_text="Send it with the next centre action on this order.")


def order_state(complaint: Complaint, **extra) -> dict:
    return {
        "tracking_number": complaint.tracking_number,
        "status": complaint.status,
        "version": complaint.version,
        **extra,
    }


def parsed(serializer_class, request) -> dict:
    """The request body checked by `serializer_class` (400 with field errors if not)."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
