"""Query filters. Every value is validated: an unknown or malformed one is a 400 naming the
parameter, never silently ignored."""

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from directives.selectors import directive_visible_to
from tracker.models import OPEN_STATUSES, Department, Task, TaskStatus
from tracker.selectors.directory import department_by_ref
from tracker.selectors.tasks import department_task_filter, due_soon_limit, local_today


class DepartmentRefFormField(forms.CharField):
    default_error_messages = {"unknown": _("Unknown department “%(value)s”.")}

    def clean(self, value: Any) -> Department | None:
        value = super().clean(value)
        if not value:
            return None
        department = department_by_ref(value)
        if department is None:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"value": value}
            )
        return department


class DepartmentRefFilter(django_filters.Filter):
    """A department by id or code."""

    field_class = DepartmentRefFormField


class TrueFalseFilter(django_filters.ChoiceFilter):
    """`true` or `false`, and nothing else (django-filter's BooleanFilter ignores junk)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("choices", [("true", "true"), ("false", "false")])
        super().__init__(*args, **kwargs)


def _visible_directives(request: Any) -> QuerySet:
    return directive_visible_to(request.user)


class TaskFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=TaskStatus.choices)
    lead_department = DepartmentRefFilter(method="filter_lead_department")
    department = DepartmentRefFilter(
        method="filter_department", help_text=_("Lead or coordinating department (id or code).")
    )
    directive = django_filters.ModelChoiceFilter(queryset=_visible_directives)
    deadline_from = django_filters.DateFilter(field_name="effective_deadline", lookup_expr="gte")
    deadline_to = django_filters.DateFilter(field_name="effective_deadline", lookup_expr="lte")
    overdue = TrueFalseFilter(method="filter_overdue")
    due_soon = TrueFalseFilter(method="filter_due_soon")
    q = django_filters.CharFilter(method="filter_q", max_length=200)
    ordering = django_filters.OrderingFilter(
        fields=(("effective_deadline", "deadline"), "assigned_on", "id", "status")
    )

    class Meta:
        model = Task
        fields: list[str] = []

    def filter_lead_department(self, queryset: QuerySet, name: str, value: Department) -> QuerySet:
        return queryset.filter(lead_department=value) if value else queryset

    def filter_department(self, queryset: QuerySet, name: str, value: Department) -> QuerySet:
        return queryset.filter(department_task_filter(value.pk)) if value else queryset

    def filter_overdue(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        overdue = Q(status__in=OPEN_STATUSES, effective_deadline__lt=local_today())
        return queryset.filter(overdue) if value == "true" else queryset.exclude(overdue)

    def filter_due_soon(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        today = local_today()
        due_soon = Q(
            status__in=OPEN_STATUSES,
            effective_deadline__gte=today,
            effective_deadline__lte=due_soon_limit(today),
        )
        return queryset.filter(due_soon) if value == "true" else queryset.exclude(due_soon)

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(content__icontains=value)
            | Q(directive__number__icontains=value)
        )
