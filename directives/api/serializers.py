from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from directives.models import Directive, DirectiveFile
from directives.selectors import (
    SHOWN_TASKS,
    directive_progress,
    directive_tasks_query,
    directive_visible_task_count,
)
from tracker.api.serializers import TaskOutput


class TaskStatusCountsOutput(serializers.Serializer):
    """The number of tasks in each state."""

    assigned = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    awaiting_acceptance = serializers.IntegerField()
    completed = serializers.IntegerField()
    paused = serializers.IntegerField()
    cancelled = serializers.IntegerField()


class DirectiveProgressOutput(serializers.Serializer):
    """A directive's progress over ALL its tasks, even those the caller may not see:
    `completed` is true when at least one task is not cancelled and all of those are
    completed."""

    total = serializers.IntegerField()
    by_status = TaskStatusCountsOutput()
    completed = serializers.BooleanField()

    def to_representation(self, instance: Directive) -> dict[str, Any]:
        return super().to_representation(directive_progress(instance))


class DirectiveFileOutput(serializers.ModelSerializer):
    """A file of the directive (an edXML package's attachment), checked by its content;
    `url` downloads it."""

    url = serializers.SerializerMethodField(
        help_text=_("Where the file is downloaded, by whoever may read the directive.")
    )

    class Meta:
        model = DirectiveFile
        fields = ["id", "name", "content_type", "size", "sha256", "url", "created_at"]

    @extend_schema_field(serializers.URLField())
    def get_url(self, file: DirectiveFile) -> str:
        url = reverse("directive-file-detail", args=[file.directive_id, file.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class DirectiveOutput(serializers.ModelSerializer):
    """A directive with the first of the tasks the caller may see and its overall progress:
    `tasks` holds at most the first settings.DIRECTIVE_TASKS_SHOWN (50) by id, `tasks_count`
    says how many there are and `tasks_url` lists them all, page by page, in that order."""

    tasks = TaskOutput(
        source=SHOWN_TASKS,
        many=True,
        read_only=True,
        help_text=_(
            "The first of the tasks you may see, by id (at most 50 unless the server is set "
            "otherwise); all of them, page by page: tasks_url."
        ),
    )
    tasks_count = serializers.SerializerMethodField(
        help_text=_("How many of the directive's tasks you may see.")
    )
    tasks_url = serializers.SerializerMethodField(
        help_text=_("The paginated task list of this directive's tasks, in the order of tasks.")
    )
    progress = DirectiveProgressOutput(source="*", read_only=True)
    files = DirectiveFileOutput(many=True, read_only=True)

    class Meta:
        model = Directive
        fields = [
            "id",
            "number",
            "kind",
            "title",
            "issued_on",
            "signer",
            "summary",
            "issuing_body",
            "external_id",
            "default_deadline",
            "higher_body",
            "higher_body_name",
            "higher_number",
            "higher_deadline",
            "higher_organ_id",
            "files",
            "tasks",
            "tasks_count",
            "tasks_url",
            "progress",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(serializers.IntegerField(min_value=0))
    def get_tasks_count(self, directive: Directive) -> int:
        return directive_visible_task_count(directive)

    @extend_schema_field(serializers.URLField())
    def get_tasks_url(self, directive: Directive) -> str:
        url = f"{reverse('task-list')}?{directive_tasks_query(directive)}"
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url
