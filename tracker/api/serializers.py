"""Output representation of users, departments, tasks and their history."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tracker.models import (
    Attachment,
    CompletionReport,
    Department,
    ExtensionRequest,
    ProgressReport,
    Task,
    TaskHistory,
    User,
)
from tracker.selectors.tasks import DUE_SOON, OVERDUE, task_overlay


class UserOutput(serializers.ModelSerializer):
    active = serializers.BooleanField(source="is_active")

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "email",
            "phone",
            "role",
            "department",
            "language",
            "active",
        ]


class DepartmentOutput(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "parent",
            "head",
            "supervising_leader",
            "email",
            "phone",
            "active",
        ]


class DepartmentBrief(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "code", "name"]


class TaskOutput(serializers.ModelSerializer):
    """`deadline` is the deadline in force (the effective one); `original_deadline` is the
    one first assigned. `today` and `due_soon_limit` come from the view's context, computed
    once per request."""

    deadline = serializers.DateField(source="effective_deadline", allow_null=True)
    lead_department_code = serializers.CharField(source="lead_department.code")
    # many=True: DRF makes it a ManyRelatedField of these.
    coordinating_departments: serializers.PrimaryKeyRelatedField[Department] = (
        serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    )
    overdue = serializers.SerializerMethodField()
    due_soon = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "directive",
            "title",
            "content",
            "lead_department",
            "lead_department_code",
            "coordinating_departments",
            "assigned_on",
            "deadline",
            "original_deadline",
            "effective_deadline",
            "priority",
            "follow_up_officer",
            "supervising_leader",
            "status",
            "completed_on",
            "overdue",
            "due_soon",
            "version",
            "created_at",
            "updated_at",
        ]

    def _overlay(self, task: Task) -> str | None:
        return task_overlay(task, self.context["today"], self.context["due_soon_limit"])

    @extend_schema_field(serializers.BooleanField())
    def get_overdue(self, task: Task) -> bool:
        return self._overlay(task) == OVERDUE

    @extend_schema_field(serializers.BooleanField())
    def get_due_soon(self, task: Task) -> bool:
        return self._overlay(task) == DUE_SOON


class TaskHistoryOutput(serializers.ModelSerializer):
    actor: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)

    class Meta:
        model = TaskHistory
        fields = ["id", "at", "actor", "action", "field", "old", "new", "reason"]


class AttachmentOutput(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "content_type", "size", "url"]

    @extend_schema_field(serializers.URLField())
    def get_url(self, attachment: Attachment) -> str:
        path = reverse("attachment-detail", kwargs={"pk": attachment.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ProgressReportOutput(serializers.ModelSerializer):
    author: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    attachments = AttachmentOutput(many=True, read_only=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "task",
            "department",
            "author",
            "note",
            "percent",
            "created_at",
            "attachments",
        ]


class CompletionReportOutput(serializers.ModelSerializer):
    author: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    decided_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    attachments = AttachmentOutput(many=True, read_only=True)

    class Meta:
        model = CompletionReport
        fields = [
            "id",
            "task",
            "department",
            "author",
            "completed_on",
            "result",
            "status",
            "decided_by",
            "decided_at",
            "decision_reason",
            "created_at",
            "attachments",
        ]


class ExtensionRequestOutput(serializers.ModelSerializer):
    author: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    decided_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = ExtensionRequest
        fields = [
            "id",
            "task",
            "department",
            "author",
            "previous_deadline",
            "requested_deadline",
            "reason",
            "status",
            "decided_by",
            "decided_at",
            "decided_on",
            "note",
            "created_at",
        ]
