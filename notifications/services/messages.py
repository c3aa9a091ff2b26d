"""Message texts: one template per step (or digest) × channel × language, under
notifications/templates/notifications/<channel>/<code>.<language>.txt (e-mail also has a
<code>.<language>.subject.txt). SMS text is sent without diacritics unless the office
chooses otherwise (MessageSettings, in the admin), so that it fits one 160-character
segment. The caller reads that choice once per run and passes it to every `render`."""

import unicodedata
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from tracker.models import Channel

SMS_SEGMENT = 160

# Marks outside the GSM-7 alphabet that would turn a whole SMS into UCS-2 (70 characters a
# segment): the quotes and dashes of Vietnamese documents, and the "…" of truncatechars
# (the SMS templates count it as three characters).
GSM_PUNCTUATION = str.maketrans(
    {"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "..."}
)


def task_link(task_id: int) -> str:
    """The address of a task's web page in every message (e-mail, SMS, inbox, digest): the
    short route /t/<id>/, which redirects to the page, so that an SMS keeps room for its
    text. Never the API's address, which an official's browser cannot use."""
    return settings.SITE_URL.rstrip("/") + reverse("task-short", args=[task_id])


def strip_diacritics(text: str) -> str:
    """Vietnamese without its marks: "Sở Y tế" → "So Y te" (đ/Đ are letters, not marks)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    )


def render(
    code: str,
    channel: str,
    language: str,
    context: dict[str, Any],
    *,
    sms_with_diacritics: bool,
) -> tuple[str, str]:
    """(subject, body) of a message, in the recipient's language. `sms_with_diacritics` is
    the office's choice (selectors.message_settings_get); it only matters for SMS."""
    base = f"notifications/{channel}/{code}.{language}"
    body = render_to_string(f"{base}.txt", context).strip()
    subject = ""
    if channel == Channel.EMAIL:
        subject = " ".join(render_to_string(f"{base}.subject.txt", context).split())
    if channel == Channel.SMS:
        body = " ".join(body.split())
        if not sms_with_diacritics:
            body = strip_diacritics(body).translate(GSM_PUNCTUATION)
            body = body.encode("ascii", "replace").decode()  # anything else: "?"
    return subject, body
