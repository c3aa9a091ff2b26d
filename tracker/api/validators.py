"""Input validation (what a client may send), kept apart from output representation."""

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from config.api.inputs import StrictJSONInput
from tracker.api.fields import DepartmentRefField, OfficialDateField
from tracker.models import (
    DEPARTMENT_ROLES,
    Department,
    DepartmentKind,
    Priority,
    Role,
    Task,
    User,
)
from tracker.selectors.tasks import local_today
from tracker.services.attachments import attachments_check
from tracker.services.departments import department_code_errors, department_parent_errors
from tracker.services.lifecycle import NOTE_MAX_LENGTH, REASON_MAX_LENGTH
from tracker.services.tasks import deadline_from_working_days, task_rule_errors

MAX_WORKING_DAYS = 3650


class UserInput(StrictJSONInput):
    username = serializers.RegexField(r"^[\w.@+-]+\Z", max_length=150)
    password = serializers.CharField(write_only=True, required=False, max_length=128)
    full_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.RegexField(r"^\+?[0-9 .-]{6,20}\Z", required=False, allow_blank=True)
    role = serializers.ChoiceField(choices=Role.choices)
    department = DepartmentRefField(required=False, allow_null=True)
    language = serializers.ChoiceField(
        choices=[("vi", "Tiếng Việt"), ("en", "English")], required=False
    )
    active = serializers.BooleanField(required=False)

    def validate_username(self, value: str) -> str:
        others = User.objects.filter(username__iexact=value)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise serializers.ValidationError(_("This username is already taken."))
        return value

    def validate_password(self, value: str) -> str:
        try:
            validate_password(value, user=self.instance)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(list(exc.messages)) from exc
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        role = attrs.get("role", getattr(self.instance, "role", None))
        department = attrs.get("department", getattr(self.instance, "department", None))
        if role in DEPARTMENT_ROLES and department is None:
            raise serializers.ValidationError(
                {"department": [_("A department is required for this role.")]}
            )
        return attrs


class DepartmentInput(StrictJSONInput):
    code = serializers.RegexField(r"^[A-Za-z0-9_.-]+\Z", max_length=32)
    name = serializers.CharField(max_length=255)
    kind = serializers.ChoiceField(choices=DepartmentKind.choices)
    # DRF's metaclass takes declared fields out of the class: this never hides Field.parent.
    parent = DepartmentRefField(required=False, allow_null=True)  # type: ignore[assignment]
    head = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(role=Role.DEPARTMENT_HEAD), required=False, allow_null=True
    )
    supervising_leader = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(role=Role.LEADER), required=False, allow_null=True
    )
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.RegexField(r"^\+?[0-9 .-]{6,20}\Z", required=False, allow_blank=True)
    active = serializers.BooleanField(required=False)

    def validate_code(self, value: str) -> str:
        errors = department_code_errors(code=value, department=self.instance)
        if errors:
            raise serializers.ValidationError(errors["code"])
        return value

    def validate_parent(self, value: Department | None) -> Department | None:
        errors = department_parent_errors(parent=value, department=self.instance)
        if errors:
            raise serializers.ValidationError(errors["parent"])
        return value


class TaskFieldsInput(StrictJSONInput):
    """A task's assignment, as given inside a directive or on its own."""

    title = serializers.CharField(max_length=500)
    content = serializers.CharField(required=False, allow_blank=True, default="")
    lead_department = DepartmentRefField()
    coordinating_departments = DepartmentRefField(many=True, required=False, default=list)
    assigned_on = OfficialDateField(required=False)
    deadline = OfficialDateField(required=False, allow_null=True)
    deadline_working_days = serializers.IntegerField(
        required=False, min_value=0, max_value=MAX_WORKING_DAYS
    )
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)
    follow_up_officer = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(role=Role.OFFICE, is_active=True),
        required=False,
        allow_null=True,
    )
    supervising_leader = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(role=Role.LEADER, is_active=True),
        required=False,
        allow_null=True,
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        task = self.instance
        if attrs.get("deadline") is not None and "deadline_working_days" in attrs:
            raise serializers.ValidationError(
                {
                    "deadline_working_days": [
                        _("Give a deadline or a number of working days, not both.")
                    ]
                }
            )
        if task is None:  # a new task: its required fields are given, the date defaults
            attrs.setdefault("assigned_on", local_today())
            assigned_on, lead_department = attrs["assigned_on"], attrs["lead_department"]
        else:  # an update: what is not sent is the task's own
            assigned_on = attrs.get("assigned_on", task.assigned_on)
            lead_department = attrs.get("lead_department", task.lead_department)
        deadline = attrs.get("deadline", getattr(task, "effective_deadline", None))
        if "deadline_working_days" in attrs:
            # Dates stop at 2099 and working days at 3650, so this stays inside the calendar.
            deadline = deadline_from_working_days(assigned_on, attrs["deadline_working_days"])
        errors = task_rule_errors(
            assigned_on=assigned_on,
            deadline=deadline,
            lead_department=lead_department,
            coordinating_departments=attrs.get(
                "coordinating_departments",
                task.coordinating_departments.all() if task is not None else [],
            ),
        )
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class TaskInput(TaskFieldsInput):
    # The tasks' foreign key's model: this app does not import the directives app above it.
    directive = serializers.PrimaryKeyRelatedField(
        queryset=Task._meta.get_field("directive").related_model._default_manager.all()
    )


class AttachmentsInput(StrictJSONInput):
    attachments = serializers.ListField(
        child=serializers.FileField(allow_empty_file=False),
        required=False,
        default=list,
        max_length=10,
        help_text=_("Up to 10 files: pdf, doc, docx, xls, xlsx, odt, ods, jpg, png."),
    )

    def validate_attachments(self, value: list) -> list:
        try:
            attachments_check(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict["attachments"]) from exc
        return value


class ProgressInput(AttachmentsInput):
    note = serializers.CharField(max_length=NOTE_MAX_LENGTH)
    percent = serializers.IntegerField(min_value=0, max_value=100, required=False, allow_null=True)


class CompletionReportInput(AttachmentsInput):
    completed_on = OfficialDateField()
    result = serializers.CharField(max_length=NOTE_MAX_LENGTH)


class ReasonInput(StrictJSONInput):
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH)


class ExtensionRequestInput(StrictJSONInput):
    requested_deadline = OfficialDateField()
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH)


class DecisionInput(StrictJSONInput):
    note = serializers.CharField(
        max_length=REASON_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
