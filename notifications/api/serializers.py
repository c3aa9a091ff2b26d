"""Output representation of notifications and preferences."""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from rest_framework import serializers

from config.common.users import AuthUser
from notifications.api.validators import ESCALATION_HELP
from notifications.models import API_SUBJECT, Channel, Notification


class SubjectReferenceOutput(serializers.ModelSerializer[Notification]):
    """`task` and `step` keep API.md's names and meaning for other systems, now read from
    the reference the sender stored with the message, not from foreign keys: for a message
    whose `about` is API_SUBJECT, `task` is `about_id` (the task's id) and `step` is `code`
    (the reminder step's code); both are null for any other message (the morning digest)."""

    task = serializers.SerializerMethodField(
        help_text="The id of the task the message is about (null for the morning digest)."
    )
    step = serializers.SerializerMethodField(
        help_text="The code of the reminder step that sent it (null for the morning digest)."
    )

    def get_task(self, notification: Notification) -> int | None:
        return notification.about_id if notification.about == API_SUBJECT else None

    def get_step(self, notification: Notification) -> str | None:
        return notification.code if notification.about == API_SUBJECT else None


class InboxNotificationOutput(SubjectReferenceOutput):
    """One message of the in-app inbox. `task` and `step` keep API.md's names and meaning:
    the id of the task it is about and the code of its reminder step (null for the morning
    digest), read from the reference stored with the message (not a foreign key)."""

    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "task", "step", "subject", "body", "created_at", "read_at", "read"]

    def get_read(self, notification: Notification) -> bool:
        return notification.read_at is not None


class RecipientBrief(serializers.ModelSerializer[AuthUser]):
    class Meta:
        model = get_user_model()
        fields = ["id", "username"]


class DeliveryOutput(SubjectReferenceOutput):
    """A notification as the office sees it when following deliveries up. `task` and
    `step` keep API.md's names and meaning, read from the stored reference (see
    SubjectReferenceOutput)."""

    recipient = RecipientBrief(read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "recipient",
            "channel",
            "status",
            "task",
            "step",
            "subject",
            "attempts",
            "last_error",
            "send_after",
            "sent_at",
            "created_at",
        ]


class MarkedOutput(serializers.Serializer[Mapping[str, int]]):
    marked = serializers.IntegerField(min_value=0, help_text="How many messages were marked read.")


def _channels(**kwargs: Any) -> serializers.ListField:
    return serializers.ListField(child=serializers.ChoiceField(choices=Channel.choices), **kwargs)


class KindChannelsOutput(serializers.Serializer[Mapping[str, list[str]]]):
    reminder = _channels()
    escalation = _channels(help_text=ESCALATION_HELP)
    digest = _channels()


class PreferencesOutput(serializers.Serializer[Mapping[str, Any]]):
    language = serializers.ChoiceField(choices=settings.LANGUAGES)
    channels = KindChannelsOutput()
