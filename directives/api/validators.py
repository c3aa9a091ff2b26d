from typing import Any

from rest_framework import serializers

from config.api.fields import OfficialDateField
from config.api.inputs import StrictInput
from directives.models import DirectiveKind, HigherBody
from directives.services import directive_external_id_errors, directive_number_errors
from tracker.api.validators import TaskFieldsInput


class DirectiveInput(StrictInput):
    """`tasks` only in a JSON body (a multipart `tasks` part is a 400, not a directive
    created without them)."""

    number = serializers.CharField(max_length=64)
    kind = serializers.ChoiceField(choices=DirectiveKind.choices)
    title = serializers.CharField(max_length=500)
    issued_on = OfficialDateField()
    signer = serializers.CharField(max_length=200)
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    issuing_body = serializers.CharField(max_length=500, required=False, allow_blank=True)
    external_id = serializers.CharField(max_length=255, required=False, allow_blank=True)
    default_deadline = OfficialDateField(required=False, allow_null=True)
    higher_body = serializers.ChoiceField(choices=HigherBody.choices, required=False)
    higher_body_name = serializers.CharField(max_length=500, required=False, allow_blank=True)
    higher_number = serializers.CharField(max_length=64, required=False, allow_blank=True)
    higher_deadline = OfficialDateField(required=False, allow_null=True)
    higher_organ_id = serializers.CharField(max_length=64, required=False, allow_blank=True)
    tasks = TaskFieldsInput(many=True, required=False, default=list)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors = directive_number_errors(
            number=attrs.get("number", getattr(self.instance, "number", None)),
            issued_on=attrs.get("issued_on", getattr(self.instance, "issued_on", None)),
            directive=self.instance,
        )
        errors.update(
            directive_external_id_errors(
                external_id=attrs.get("external_id"), directive=self.instance
            )
        )
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class DirectiveUpdateInput(DirectiveInput):
    # DRF's documented way of leaving an inherited field out, which the stubs do not model.
    tasks = None  # type: ignore[assignment]


class DirectiveFormInput(DirectiveInput):
    """A directive as a form or multipart body may give it: without `tasks` (the schema's
    form variants; the input itself is DirectiveInput's)."""

    tasks = None  # type: ignore[assignment]
