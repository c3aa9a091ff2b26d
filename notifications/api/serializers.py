"""Output representation of notifications and preferences."""

from django.conf import settings
from rest_framework import serializers

from notifications.api.validators import ESCALATION_HELP
from notifications.models import Notification
from tracker.models import Channel, User


class InboxNotificationOutput(serializers.ModelSerializer):
    """One message of the in-app inbox; `step` is the code of the reminder step (null for
    the morning digest)."""

    step = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "task", "step", "subject", "body", "created_at", "read_at", "read"]

    def get_read(self, notification: Notification) -> bool:
        return notification.read_at is not None


class RecipientBrief(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username"]


class DeliveryOutput(serializers.ModelSerializer):
    """A notification as the office sees it when following deliveries up."""

    recipient = RecipientBrief(read_only=True)
    step = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

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


class MarkedOutput(serializers.Serializer):
    marked = serializers.IntegerField(min_value=0, help_text="How many messages were marked read.")


def _channels(**kwargs: object) -> serializers.ListField:
    return serializers.ListField(child=serializers.ChoiceField(choices=Channel.choices), **kwargs)


class KindChannelsOutput(serializers.Serializer):
    reminder = _channels()
    escalation = _channels(help_text=ESCALATION_HELP)
    digest = _channels()


class PreferencesOutput(serializers.Serializer):
    language = serializers.ChoiceField(choices=settings.LANGUAGES)
    channels = KindChannelsOutput()
