"""Output shapes the handler's endpoints share: a unit, a category, a place, an
assignment. Output only: they read what the selectors loaded and decide nothing."""

from rest_framework import serializers

from dispatch.models import AssignmentRole, AssignmentStatus, UnitKind
from dispatch.templatetags.desk import place_path


class UnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=UnitKind.choices)


class CategoryGroupSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class CategoryRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    group = CategoryGroupSerializer(source="parent", allow_null=True, help_text="The top-level category, if any.")


class PlaceSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The division code (NBS).")
    name = serializers.CharField()
    path = serializers.SerializerMethodField(help_text="District › street › community.")

    def get_path(self, region) -> str:
        return place_path(region)


class AssignmentSerializer(serializers.Serializer):
    """A unit's responsibility for the order: the lead's, or a summoned unit's."""

    id = serializers.IntegerField()
    role = serializers.ChoiceField(choices=AssignmentRole.choices)
    status = serializers.ChoiceField(choices=AssignmentStatus.choices)
    unit = UnitRefSerializer(help_text="The accountable unit.")
    holder = UnitRefSerializer(help_text="Who works it now: the unit, or a community it was handed down to.")
    assigned_at = serializers.DateTimeField()
    accepted_at = serializers.DateTimeField(allow_null=True)
    contacted_at = serializers.DateTimeField(allow_null=True)
    resolved_at = serializers.DateTimeField(allow_null=True)
    contact_due = serializers.DateTimeField()
    resolve_due = serializers.DateTimeField()
    next_due = serializers.DateTimeField(allow_null=True, help_text="The earliest due time not yet met.")
    report_due = serializers.DateTimeField(allow_null=True, help_text="A summoned unit's report deadline.")
    version = serializers.IntegerField(help_text="Send it back with the next action on this assignment.")
