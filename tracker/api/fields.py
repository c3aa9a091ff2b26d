from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tracker.models import Department


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}]})
class DepartmentRefField(serializers.RelatedField):
    """A department given by its `id` or by its unique `code` ("SYT")."""

    default_error_messages = {
        "does_not_exist": _("Unknown department “{value}”."),
        "inactive": _("Department “{value}” is no longer active."),
        "incorrect_type": _("Give a department id (number) or code (text)."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Department.objects.all())
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Department:
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type")
        queryset = self.get_queryset()
        department = None
        if isinstance(data, str):
            department = queryset.filter(code=data.strip()).first()
            if department is None and data.strip().isdigit():
                data = int(data.strip())
        if department is None and isinstance(data, int):
            department = queryset.filter(pk=data).first()
        if department is None:
            self.fail("does_not_exist", value=data)
        if not department.active:
            self.fail("inactive", value=department.code)
        return department

    def to_representation(self, value: Department) -> int:
        return value.pk
