from typing import Any

from rest_framework import serializers

from config.api.inputs import StrictJSONInput
from directives.models import DirectiveKind
from directives.services import directive_number_errors
from tracker.api.fields import OfficialDateField
from tracker.api.validators import TaskFieldsInput


class DirectiveInput(StrictJSONInput):
    number = serializers.CharField(max_length=64)
    kind = serializers.ChoiceField(choices=DirectiveKind.choices)
    title = serializers.CharField(max_length=500)
    issued_on = OfficialDateField()
    signer = serializers.CharField(max_length=200)
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    tasks = TaskFieldsInput(many=True, required=False, default=list)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors = directive_number_errors(
            number=attrs.get("number", getattr(self.instance, "number", None)),
            issued_on=attrs.get("issued_on", getattr(self.instance, "issued_on", None)),
            directive=self.instance,
        )
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class DirectiveUpdateInput(DirectiveInput):
    # DRF's documented way of leaving an inherited field out, which the stubs do not model.
    tasks = None  # type: ignore[assignment]
