"""What every input serializer of the API shares: `StrictInput`, the base of each. It takes
what the served schema states and nothing looser, every failing field named at once.

DRF's fields read loosely, for form bodies, where every value is a string: a CharField
takes 5, an IntegerField "5", a BooleanField 0 or "off". In a JSON body the schema promises
a type, so a value of another type is a 400 naming the field (schemathesis'
negative_data_rejection holds the server to it). Form bodies keep their strings, but a
field sent empty there is refused where blank and null are not allowed (DRF would read it
as not sent), and a nested field (a directive's `tasks`) is taken only from JSON."""

from collections.abc import Mapping
from typing import Any, TypeVar

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.relations import PrimaryKeyRelatedField
from rest_framework.utils import html

NESTED_NEEDS_JSON = _("Send this field in a JSON body (Content-Type: application/json).")

Instance = TypeVar("Instance")

# (field class, the JSON types its values must have, the message), the first match
# applying. Dates are strings already to DRF's DateField; other fields keep their own rules.
JSON_TYPES: list[tuple[type[serializers.Field], tuple[type, ...], Any]] = [
    (serializers.BooleanField, (bool,), _("Must be true or false.")),
    (serializers.MultipleChoiceField, (list,), _("Must be a list.")),
    (serializers.ChoiceField, (str,), _("Must be a string.")),
    (serializers.CharField, (str,), _("Must be a string.")),
    (serializers.IntegerField, (int,), _("Must be an integer.")),
    (serializers.FloatField, (int, float), _("Must be a number.")),
    (serializers.DecimalField, (int, float), _("Must be a number.")),
    (PrimaryKeyRelatedField, (int,), _("Must be an integer.")),
]


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


def json_type_errors(fields: Mapping[str, serializers.Field], data: Any) -> dict[str, list]:
    """The fields whose JSON value is not of the type their schema states (null is left to
    the field's own allow_null)."""
    if not isinstance(data, Mapping) or html.is_html_input(data):
        return {}
    errors: dict[str, list] = {}
    for name, field in fields.items():
        value = data.get(field.field_name)
        if field.read_only or value is None:
            continue
        rule = next((rule for rule in JSON_TYPES if isinstance(field, rule[0])), None)
        if rule is None:
            continue
        _cls, types, message = rule
        # bool is an int in Python, never a number in JSON.
        if (isinstance(value, bool) and bool not in types) or not isinstance(value, types):
            errors[name] = [message]
    return errors


def empty_form_value_errors(fields: Mapping[str, serializers.Field], data: Any) -> dict[str, list]:
    """The fields sent empty in a form body that may be neither blank nor null. DRF reads
    such a field as not sent at all, a silent success the schema (minLength, a type) does
    not allow; in JSON the same value is refused, so it is here too."""
    errors: dict[str, list] = {}
    for name, field in fields.items():
        if field.read_only or field.field_name not in data or data.get(field.field_name) != "":
            continue
        if not getattr(field, "allow_blank", False) and not field.allow_null:
            errors[name] = [serializers.CharField.default_error_messages["blank"]]
    return errors


class StrictInput(serializers.Serializer[Instance]):
    """An input serializer that takes what the schema states and nothing looser (module
    doc), naming every failing field at once."""

    def _strictness_errors(self, data: Any) -> dict[str, list]:
        fields = dict(self.fields)
        if isinstance(data, QueryDict):
            return {
                **empty_form_value_errors(fields, data),
                **nested_in_form_errors(fields, data),
            }
        if isinstance(getattr(self.root, "initial_data", None), QueryDict):
            return {}  # a part of a form body: refused whole above
        return json_type_errors(fields, data)

    def to_internal_value(self, data: Any) -> Any:
        errors = self._strictness_errors(data)
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if not errors or not isinstance(exc.detail, dict):
                raise
            raise serializers.ValidationError({**exc.detail, **errors}) from exc
        if errors:
            raise serializers.ValidationError(errors)
        return value
