"""Departments in the admin, written through the department services: the admin refuses
what the API refuses (a code taken ignoring case, a department placed under itself or one
of its own units), with the message beside the field."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from config.common.admin import RuleCheckedForm
from tracker.models import Department
from tracker.services.departments import (
    DEPARTMENT_FIELDS,
    department_create,
    department_rule_errors,
    department_update,
)


class DepartmentAdminForm(RuleCheckedForm):
    ruled_fields = ("code", "parent")  # a taken code, a cycle

    class Meta:
        model = Department
        fields = DEPARTMENT_FIELDS

    def rule_errors(self, data: dict[str, Any]) -> dict[str, list[str]]:
        department = self.instance if self.instance.pk else None
        return department_rule_errors(data=data, department=department)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    form = DepartmentAdminForm
    list_display = ("code", "name", "kind", "head", "supervising_leader", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)
    raw_id_fields = ("head", "supervising_leader")

    def save_model(
        self, request: HttpRequest, obj: Department, form: DepartmentAdminForm, change: bool
    ) -> None:
        data = {name: form.cleaned_data[name] for name in DEPARTMENT_FIELDS}
        if change:
            saved = department_update(department=Department.objects.get(pk=obj.pk), data=data)
        else:
            saved = department_create(**data)
        form.instance = saved
        obj.pk = saved.pk
