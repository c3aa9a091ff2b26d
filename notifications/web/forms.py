"""The forms of the notification pages: they parse what a page sends; the API's validator
(PreferencesInput) and the services decide."""

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from config.web.forms import AccessibleForm
from notifications.api.validators import PreferencesInput
from notifications.models import DIGEST_CHANNELS, Channel, NotificationKind

# The channels each kind of message can go by: the steps of a reminder policy may use any
# channel; the morning digest is only sent in the app and by e-mail. Keyed by the kind's
# value as well: a NotificationKind is the string it stands for.
OFFERED: dict[str, tuple[str, ...]] = {
    NotificationKind.REMINDER: tuple(Channel.values),
    NotificationKind.ESCALATION: tuple(Channel.values),
    NotificationKind.DIGEST: tuple(DIGEST_CHANNELS),
}
HELP = {
    NotificationKind.REMINDER: _(
        "Before and on the deadline of the tasks of your department. Untick every channel to "
        "receive no reminder."
    ),
    NotificationKind.ESCALATION: _(
        "Escalations always go out on every channel of their step, whatever you tick here: "
        "an overdue task must reach the people responsible. Your choice is kept all the same."
    ),
    NotificationKind.DIGEST: _(
        "Each working morning, to department heads: the tasks overdue and due within five "
        "working days. Sent in the app and by e-mail only."
    ),
}


def _channel_field(kind: NotificationKind) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=kind.label,
        choices=[(c, label) for c, label in Channel.choices if c in OFFERED[kind]],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=HELP[kind],
    )


class PreferencesForm(AccessibleForm):
    language = forms.ChoiceField(
        label=_("Language of the pages and of your messages"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
    )
    reminder = _channel_field(NotificationKind.REMINDER)
    escalation = _channel_field(NotificationKind.ESCALATION)
    digest = _channel_field(NotificationKind.DIGEST)

    def __init__(self, *args: Any, stored: Mapping[str, Sequence[str]], **kwargs: Any) -> None:
        """`stored`: the user's preferences (selectors.preferences_of), which keep the
        channels a kind cannot go by (never shown, so never changed here)."""
        super().__init__(*args, **kwargs)
        self.stored = stored

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if self.errors:
            return cleaned
        payload = {"language": cleaned["language"], "channels": self._channels(cleaned)}
        # The API's own rules, so both entry points accept exactly the same preferences.
        validator = PreferencesInput(data=payload)
        if not validator.is_valid():
            for field, errors in validator.errors.items():
                if isinstance(errors, Mapping):  # channels: by kind
                    for kind, messages in errors.items():
                        self.add_error(kind if kind in self.fields else None, messages)
                else:
                    self.add_error(field if field in self.fields else None, errors)
            return cleaned
        cleaned["preferences"] = validator.validated_data
        return cleaned

    def _channels(self, cleaned: Mapping[str, Any]) -> dict[str, list[str]]:
        channels: dict[str, list[str]] = {}
        for kind in NotificationKind.values:
            kept = [c for c in self.stored.get(kind, ()) if c not in OFFERED[kind]]
            channels[kind] = [*cleaned.get(kind, []), *kept]
        return channels


class FailedFilterForm(AccessibleForm):
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[("", _("Every channel")), *Channel.choices],
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("Kind of message"),
        choices=[("", _("Every kind")), *NotificationKind.choices],
        required=False,
    )
