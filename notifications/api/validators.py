"""Input validation (what a client may send), kept apart from output representation."""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from config.api.inputs import StrictInput
from notifications.models import Channel

ESCALATION_HELP = _(
    "Stored, but escalations are sent on every channel of their step whatever is chosen here."
)


def channel_list(**kwargs: Any) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=Channel.choices),
        max_length=len(Channel.values),
        required=False,
        **kwargs,
    )


class KindChannelsInput(StrictInput[Any]):
    """The channels wanted for each kind of message; an empty list opts out of that kind."""

    reminder = channel_list()
    escalation = channel_list(help_text=ESCALATION_HELP)
    digest = channel_list()

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if isinstance(data, Mapping):
            unknown = [key for key in data if key not in self.fields]
            if unknown:
                raise serializers.ValidationError(
                    {str(key): [_("Unknown kind of message.")] for key in unknown}
                )
        validated: dict[str, Any] = super().to_internal_value(data)
        return validated


class PreferencesInput(StrictInput[Any]):
    """The whole of the user's preferences: a kind left out of `channels` goes back to the
    default (every channel)."""

    language = serializers.ChoiceField(choices=settings.LANGUAGES)
    channels = KindChannelsInput()
