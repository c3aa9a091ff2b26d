from typing import Any

from rest_framework import serializers

from directives.models import Directive
from directives.selectors import directive_progress
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


class DirectiveOutput(serializers.ModelSerializer):
    """A directive with the tasks the caller may see and its overall progress."""

    tasks = TaskOutput(many=True, read_only=True)
    progress = DirectiveProgressOutput(source="*", read_only=True)

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
            "tasks",
            "progress",
            "created_at",
            "updated_at",
        ]
