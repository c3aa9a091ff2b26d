"""What every input serializer of the API shares: `StrictInput`, the base of each."""

from collections.abc import Mapping
from typing import Any, TypeVar

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.utils import html

NESTED_NEEDS_JSON = _("Send this field in a JSON body (Content-Type: application/json).")

Instance = TypeVar("Instance")


def nested_in_form_errors(fields: Mapping[str, serializers.Field], data: Any) -> dict[str, list]:
    """The nested fields (an object, a list of objects) that a form or multipart body tries
    to give. DRF would read them from `tasks[0]title`-style keys only, and from a plain
    `tasks` part nothing at all: an optional list of objects would silently be empty."""
    if not html.is_html_input(data):
        return {}
    return {
        name: [NESTED_NEEDS_JSON]
        for name, field in fields.items()
        if isinstance(field, serializers.BaseSerializer)
        and any(key == name or key.startswith((f"{name}[", f"{name}.")) for key in data)
    }


def non_string_errors(fields: Mapping[str, serializers.Field], data: Any) -> dict[str, list]:
    """The text fields a JSON body gives as a number: DRF's CharField would store 12 as
    "12", and the schema says a string."""
    if html.is_html_input(data) or not isinstance(data, Mapping):
        return {}
    return {
        name: [field.error_messages["invalid"]]
        for name, field in fields.items()
        if isinstance(field, serializers.CharField)
        and not field.read_only
        and isinstance(data.get(name), int | float)
    }


class StrictInput(serializers.Serializer[Instance]):
    """An input that takes what the schema states and nothing looser, every failing field
    named at once: nested fields only from a JSON body (a form or multipart body giving
    one is a 400 naming it), text as JSON strings (not numbers)."""

    def to_internal_value(self, data: Any) -> Any:
        errors = {
            **nested_in_form_errors(self.fields, data),
            **non_string_errors(self.fields, data),
        }
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if errors and isinstance(exc.detail, dict):
                raise serializers.ValidationError({**exc.detail, **errors}) from exc
            raise
        if errors:
            raise serializers.ValidationError(errors)
        return value
