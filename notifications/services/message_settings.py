"""The office's message settings: one row, changed in the admin."""

from notifications.models import MESSAGE_SETTINGS_PK, MessageSettings


def message_settings_update(*, sms_with_diacritics: bool) -> MessageSettings:
    """Stores the office's choice (creating the row if it is missing); the next reminder
    sweep and digest read it, without restarting any process."""
    current, _created = MessageSettings.objects.update_or_create(
        pk=MESSAGE_SETTINGS_PK, defaults={"sms_with_diacritics": sms_with_diacritics}
    )
    return current
