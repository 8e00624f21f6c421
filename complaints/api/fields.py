"""Input fields stricter than DRF's own: JSON `true` is not the number 1."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

MAX_ANSWERS = 50
MAX_CODE = 50
MAX_KEYS = 50


class StrictFloatField(serializers.FloatField):
    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictCharField(serializers.CharField):
    """Text only: a number where a code or a name belongs is the client's mistake."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class TextField(StrictCharField):
    """Text as a resident typed it, a line break counted once (as the form counts it)."""

    def to_internal_value(self, data):
        return super().to_internal_value(data.replace("\r\n", "\n") if isinstance(data, str) else data)


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {
            "oneOf": [
                {"type": "string", "maxLength": 500},
                {"type": "number"},
                {"type": "array", "items": {"type": "string"}},
            ]
        },
        "maxProperties": MAX_ANSWERS,
        "description": "Question code → the answer: text (a number or a date and time as text too, "
        "e.g. `2026-12-01T08:30+08:00`), a choice's `key`, or a list of keys for a multi-value list. "
        "The questions are those of `GET /api/v1/categories/{id}/`.",
    }
)
class AnswersField(serializers.Field):
    default_error_messages = {
        "not_object": _("Give the answers as an object: question code → answer."),
        "too_many": _("Too many answers."),
        "bad_value": _("Answer with text, a number or a list of keys."),
    }

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            self.fail("not_object")
        if len(data) > MAX_ANSWERS:
            self.fail("too_many")
        answers = {}
        for code, value in data.items():
            if len(code) > MAX_CODE:
                # answers_clean names unknown codes; a key this long is none of them.
                raise serializers.ValidationError(_("This category asks no question with so long a code."))
            answers[code] = self._value(value)
        return answers

    def _value(self, value):
        if isinstance(value, bool) or value is None:
            self.fail("bad_value")
        if isinstance(value, (int, float)):
            return str(value)
        if isinstance(value, str):
            return value
        if isinstance(value, list) and len(value) <= MAX_KEYS and all(isinstance(v, str) for v in value):
            return value
        self.fail("bad_value")

    def to_representation(self, value):
        return value
