"""Query filters. Every value is validated: an unknown or malformed one is a 400 naming the
parameter, never silently ignored."""

from collections.abc import Sequence
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from config.api.filters import OfficialDateFilter, SearchTextFilter, TrueFalseFilter
from config.common.text import StrOrPromise
from tracker.api.indicator_queries import as_of_errors, default_as_of, period_errors
from tracker.models import Department, Task, TaskStatus
from tracker.models.tasks import TASK_ORDERING
from tracker.selectors.directory import department_by_ref
from tracker.selectors.indicators import DRILL_DOWN_BUCKETS, tasks_in_bucket
from tracker.selectors.tasks import (
    SEARCH_RANK,
    department_task_filter,
    directives_in_scope,
    due_soon_filter,
    local_today,
    no_deadline_filter,
    open_filter,
    overdue_filter,
    task_search_filter,
    task_search_rank,
)


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


def _visible_directives(request: Any) -> QuerySet:
    return directives_in_scope(request.user)


class IndicatorDateFilter(OfficialDateFilter):
    """A date of the indicator drill-down's period; it selects nothing on its own."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(method=lambda queryset, name, value: queryset, **kwargs)


PERIOD_PARAMETERS = ("from", "to", "as_of")


class TaskFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=TaskStatus.choices)
    lead_department = DepartmentRefFilter(method="filter_lead_department")
    department = DepartmentRefFilter(
        method="filter_department", help_text=_("Lead or coordinating department (id or code).")
    )
    directive = django_filters.ModelChoiceFilter(queryset=_visible_directives)
    deadline_from = OfficialDateFilter(field_name="effective_deadline", lookup_expr="gte")
    deadline_to = OfficialDateFilter(field_name="effective_deadline", lookup_expr="lte")
    open = TrueFalseFilter(
        method="filter_open",
        help_text=_("Open tasks (assigned, in progress or awaiting acceptance), or the others."),
    )
    overdue = TrueFalseFilter(method="filter_overdue")
    due_soon = TrueFalseFilter(method="filter_due_soon")
    no_deadline = TrueFalseFilter(
        method="filter_no_deadline", help_text=_("Tasks without a deadline (or with one).")
    )
    q = SearchTextFilter(
        method="filter_q",
        help_text=_(
            "Words in the title or content, or in the directive's number, title or summary,"
            " with or without diacritics; the tasks found are ranked (title, content,"
            " directive) unless an ordering is given."
        ),
    )
    ordering = django_filters.OrderingFilter(
        fields=(("effective_deadline", "deadline"), "assigned_on", "id", "status")
    )
    # The drill-down of GET /api/v1/indicators/: the tasks behind one count, for the same
    # from, to and as_of (a department's members: the tasks behind their own row).
    indicator = django_filters.ChoiceFilter(
        choices=[(bucket, bucket) for bucket in DRILL_DOWN_BUCKETS],
        method="filter_indicator",
        help_text=_("The tasks behind one count of the indicators; needs from and to."),
    )
    # `from` is a Python keyword: declared through the class namespace.
    locals()["from"] = IndicatorDateFilter(help_text=_("The indicator's period: first day."))
    to = IndicatorDateFilter(help_text=_("The indicator's period: last day."))
    as_of = IndicatorDateFilter(
        help_text=_("The indicator's as-of date; default as in the indicators.")
    )

    class Meta:
        model = Task
        fields: list[str] = []

    def is_valid(self) -> bool:
        if not hasattr(self, "_valid"):  # once: a second call would add the errors again
            valid = super().is_valid()
            if self.is_bound:
                for field, messages in self._indicator_errors().items():
                    for message in messages:
                        self.form.add_error(field, message)
            self._valid = valid and not self.form.errors
        return self._valid

    def _indicator_errors(self) -> dict[str, Sequence[StrOrPromise]]:
        """The indicators' own rules for the period; the three dates need an indicator, and
        an indicator needs its period."""
        given = {name for name in ("indicator", *PERIOD_PARAMETERS) if self.data.get(name)}
        if not given:
            return {}
        cleaned, today = self.form.cleaned_data, local_today()
        if "indicator" not in given:
            return {"indicator": [_("Give the indicator whose tasks to list with its period.")]}
        errors: dict[str, Sequence[StrOrPromise]] = {
            name: [_("The indicator's period needs this date.")]
            for name in ("from", "to")
            if name not in given
        }
        if cleaned.get("as_of") is not None and as_of_errors(cleaned["as_of"], today):
            errors["as_of"] = as_of_errors(cleaned["as_of"], today)
        period = period_errors(cleaned.get("from"), cleaned.get("to"), cleaned.get("as_of"), today)
        return {**period, **errors}

    def filter_indicator(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        cleaned = self.form.cleaned_data
        date_from, date_to = cleaned["from"], cleaned["to"]
        as_of = cleaned.get("as_of") or default_as_of(date_from, date_to, local_today())
        user = self.request.user
        if user.is_department_member:
            queryset = queryset.filter(lead_department_id=user.department_id)
        return tasks_in_bucket(queryset, value, date_from, date_to, as_of)

    def filter_lead_department(self, queryset: QuerySet, name: str, value: Department) -> QuerySet:
        return queryset.filter(lead_department=value) if value else queryset

    def filter_department(self, queryset: QuerySet, name: str, value: Department) -> QuerySet:
        return queryset.filter(department_task_filter(value.pk)) if value else queryset

    def filter_open(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        still_open = open_filter()
        return queryset.filter(still_open) if value == "true" else queryset.exclude(still_open)

    def filter_overdue(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        overdue = overdue_filter(local_today())
        return queryset.filter(overdue) if value == "true" else queryset.exclude(overdue)

    def filter_due_soon(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        due_soon = due_soon_filter(local_today())
        return queryset.filter(due_soon) if value == "true" else queryset.exclude(due_soon)

    def filter_no_deadline(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        without = no_deadline_filter()
        return queryset.filter(without) if value == "true" else queryset.exclude(without)

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        found = queryset.filter(task_search_filter(value))
        # The `ordering` filter, declared after this one, replaces the rank when given.
        return found.alias(**{SEARCH_RANK: task_search_rank(value)}).order_by(
            SEARCH_RANK, *TASK_ORDERING
        )
