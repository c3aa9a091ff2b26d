from rest_framework import serializers

from directives.models import Directive
from tracker.api.serializers import TaskOutput


class DirectiveOutput(serializers.ModelSerializer):
    """A directive with the tasks the caller may see."""

    tasks = TaskOutput(many=True, read_only=True)

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
            "created_at",
            "updated_at",
        ]
