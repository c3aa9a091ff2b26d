"""What every input serializer of the API may share."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.utils import html

NESTED_NEEDS_JSON = _("Send this field in a JSON body (Content-Type: application/json).")


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


class NestedInJSONOnly(serializers.Serializer):
    """An input whose nested fields are taken from a JSON body only: the same input sent
    as a form or multipart body with such a field is a 400 naming it."""

    def to_internal_value(self, data: Any) -> Any:
        errors = nested_in_form_errors(self.fields, data)
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if errors and isinstance(exc.detail, dict):  # every failing field at once
                raise serializers.ValidationError({**exc.detail, **errors}) from exc
            raise
        if errors:
            raise serializers.ValidationError(errors)
        return value
