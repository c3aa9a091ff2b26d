"""The forms of the directives pages: they parse what was typed; the services judge it
(directives.services.directive_check holds the rules that span fields, as in the API)."""

import re
import secrets
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from config.web.forms import AccessibleForm, DateField, SearchField, form_field
from directives.models import DirectiveKind
from tracker.models import Department, Priority, Role, User
from tracker.selectors.calendar import MAX_WORKING_DAYS
from tracker.selectors.tasks import local_today

if TYPE_CHECKING:
    from directives.web.task_rows import DeadlinePreview

ROW_KEYS = "rows"
ROW_KEY = re.compile(r"^[a-z0-9]{1,16}\Z")


class DirectiveFilterForm(AccessibleForm):
    """The list's filters; a value that does not parse is ignored, not an error page."""

    q = SearchField()
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    completed = forms.TypedChoiceField(
        label=_("Completion"),
        required=False,
        choices=[("", _("All")), ("false", _("Not completed")), ("true", _("Completed"))],
        coerce=lambda value: value == "true",
        empty_value=None,
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget = forms.TextInput(
            attrs={"type": "search", "placeholder": _("Number, title or summary")}
        )
        form_field(self, "kind", forms.ChoiceField).choices = [
            ("", _("All kinds")),
            *DirectiveKind.choices,
        ]
        form_field(self, "year", forms.ChoiceField).choices = [
            ("", _("All years")),
            *((y, str(y)) for y in years),
        ]

    def filters(self) -> dict[str, Any]:
        """The valid filters as directive_list's arguments."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "search": (data.get("q") or "").strip(),
            "kind": data.get("kind") or "",
            "year": data.get("year"),
            "completed": data.get("completed"),
        }


class DirectiveForm(AccessibleForm):
    number = forms.CharField(
        label=_("Number and symbol"), max_length=64, help_text=_("For example 125/TB-UBND.")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *DirectiveKind.choices])
    title = forms.CharField(
        label=_("Title"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    issued_on = DateField(label=_("Issue date"))
    signer = forms.CharField(label=_("Signer"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DirectiveTasksForm(AccessibleForm):
    """The page that adds tasks to a directive: its fields are the task rows'
    (TaskRowForm); this form carries only the errors that name no row (no task given)."""


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Department) -> str:
        return f"{obj.code} – {obj.name}"


class DepartmentsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Department) -> str:
        return f"{obj.code} – {obj.name}"


class UserChoiceField(forms.ModelChoiceField):
    queryset: QuerySet[User]  # always given: the users of one role

    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.username


def active_departments() -> QuerySet[Department]:
    return Department.objects.filter(active=True).order_by("code")


def active_users(role: str) -> QuerySet[User]:
    return User.objects.filter(role=role, is_active=True).order_by("full_name", "username")


class DeadlineFields(AccessibleForm):
    """A task's assigned date and its deadline, as a date or as working days (the deadline
    preview parses these alone)."""

    assigned_on = DateField(label=_("Assigned date"), initial=local_today)
    deadline = DateField(label=_("Deadline (date)"), required=False)
    deadline_working_days = forms.IntegerField(
        label=_("or number of working days"),
        required=False,
        min_value=0,
        max_value=MAX_WORKING_DAYS,
        help_text=_("Counted from the assigned date."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class TaskRowForm(DeadlineFields):
    """One task of the directive; its rows are keyed (`task-<key>-…`), so removing one in
    the middle changes no other row's names."""

    title = forms.CharField(label=_("Task title"), max_length=500)
    content = forms.CharField(
        label=_("Content"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    lead_department = DepartmentChoiceField(
        label=_("Lead department"),
        queryset=active_departments(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    coordinating_departments = DepartmentsChoiceField(
        label=_("Coordinating departments"),
        queryset=active_departments(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    follow_up_officer = UserChoiceField(
        label=_("Follow-up officer"),
        queryset=active_users(Role.OFFICE),
        required=False,
        empty_label=_("(none)"),
    )
    supervising_leader = UserChoiceField(
        label=_("Supervising leader"),
        queryset=active_users(Role.LEADER),
        required=False,
        empty_label=_("(none)"),
        help_text=_("Empty: the lead department's supervising leader is reminded."),
    )

    field_order = [
        "title",
        "content",
        "lead_department",
        "coordinating_departments",
        "assigned_on",
        "deadline",
        "deadline_working_days",
        "priority",
        "follow_up_officer",
        "supervising_leader",
    ]

    # What the page sent (request.POST), or Django's empty MultiValueDict for a new row.
    data: MultiValueDict[str, Any]
    # The deadline the row gives, set by the page for its template (task_rows.py).
    preview: "DeadlinePreview"

    def __init__(
        self, data: QueryDict | None = None, *, key: str, user: User, **kwargs: Any
    ) -> None:
        super().__init__(data, prefix=f"task-{key}", **kwargs)
        self.key = key
        self.user = user
        self.fields["priority"].initial = Priority.NORMAL
        officers = form_field(self, "follow_up_officer", UserChoiceField).queryset
        if officers.filter(pk=user.pk).exists():
            self.fields["follow_up_officer"].initial = user.pk

    def task(self) -> dict[str, Any]:
        """The parsed task, as directive_create takes it."""
        return dict(self.cleaned_data)

    def unvalidated(self) -> "TaskRowForm":
        """The row as typed, without its errors: when a row is added or removed without
        JavaScript the others come back as they were, not judged yet."""
        typed: dict[str, Any] = {}
        for name, field in self.fields.items():
            key = self.add_prefix(name)
            if isinstance(field.widget, forms.CheckboxSelectMultiple):
                typed[name] = self.data.getlist(key)
            elif key in self.data:
                typed[name] = self.data.get(key)
        return TaskRowForm(initial=typed, key=self.key, user=self.user)


def new_row_key() -> str:
    return secrets.token_hex(4)


def row_keys(data: QueryDict) -> list[str]:
    """The rows the form holds, in their order on the page, each once."""
    keys = [key for key in data.getlist(ROW_KEYS) if ROW_KEY.match(key)]
    return list(dict.fromkeys(keys))


class ImportForm(AccessibleForm):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        allow_empty_file=True,  # an empty file gets the import's own error, as in the API
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
    )
