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


# The JSON types each kind of field takes (a bool is no number, though Python says so).
_JSON_TYPES: list[tuple[type[serializers.Field], tuple[type, ...], str]] = [
    (serializers.BooleanField, (bool,), "invalid"),
    (serializers.CharField, (str,), "invalid"),
    (serializers.IntegerField, (int,), "invalid"),
    (serializers.FloatField, (int, float), "invalid"),
    (serializers.DecimalField, (int, float), "invalid"),
    (serializers.PrimaryKeyRelatedField, (int,), "incorrect_type"),
]


def _loosely_typed(field: serializers.Field, value: Any) -> str | None:
    """The error key when `value` is not of the JSON type the field's schema states."""
    for kind, json_types, key in _JSON_TYPES:
        if isinstance(field, kind):
            wrong = not isinstance(value, json_types)
            return key if wrong or (bool not in json_types and isinstance(value, bool)) else None
    return None


def loose_type_errors(fields: Mapping[str, serializers.Field], data: Any) -> dict[str, list]:
    """The values of a JSON body that are not of their field's JSON type: DRF would read
    12 as the text "12", "5" or 5.0 as the integer 5, 0 or "yes" as a boolean, where the
    schema says a string, an integer or a boolean. (A form body is all text: DRF's reading
    of it stands.)"""
    if html.is_html_input(data) or not isinstance(data, Mapping):
        return {}
    errors: dict[str, list] = {}
    for name, field in fields.items():
        value = data.get(name)
        if field.read_only or value is None:
            continue
        key = _loosely_typed(field, value)
        if key is not None:
            message = field.error_messages[key]
            errors[name] = [message.format(data_type=type(value).__name__)]
    return errors


class StrictInput(serializers.Serializer[Instance]):
    """An input that takes what the schema states and nothing looser, every failing field
    named at once: nested fields only from a JSON body (a form or multipart body giving
    one is a 400 naming it), and each value of a JSON body of its field's JSON type."""

    def to_internal_value(self, data: Any) -> Any:
        errors = {
            **nested_in_form_errors(self.fields, data),
            **loose_type_errors(self.fields, data),
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
