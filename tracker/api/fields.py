from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.relations import PKOnlyObject

from tracker.models import Department
from tracker.selectors.directory import department_by_ref


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}]})
class DepartmentRefField(serializers.RelatedField[Department, Any, int]):
    """A department given by its `id` or by its unique `code` ("SYT")."""

    default_error_messages = {
        "does_not_exist": _("Unknown department “{value}”."),
        "inactive": _("Department “{value}” is no longer active."),
        "incorrect_type": _("Give a department id (number) or code (text)."),
        "null_characters": _("Null characters are not allowed."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Department.objects.all())  # for schema generation
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Department:
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type")
        if isinstance(data, str) and "\x00" in data:
            self.fail("null_characters")  # the database cannot even be asked about it
        department = department_by_ref(data)
        if department is None:
            self.fail("does_not_exist", value=data)
        if not department.active:
            self.fail("inactive", value=department.code)
        return department

    def to_representation(self, value: Department | PKOnlyObject) -> int:
        return value.pk
