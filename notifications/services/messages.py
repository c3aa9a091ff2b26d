"""Message texts: the sender's templates, one per code × channel × language, under
`<texts>/<channel>/<code>.<language>.txt` in any app's templates (e-mail also has a
`<code>.<language>.subject.txt`; a Zalo text is its ZNS template's parameters, one
`name: value` a line, kept as JSON); the sender gives the folder and the context. SMS text is
sent without diacritics unless the office chooses otherwise (MessageSettings, in the
admin), so that it fits one 160-character segment. The caller reads that choice once per
run and passes it to every `render`."""

import unicodedata
from collections.abc import Mapping
from typing import Any

from django.template.loader import render_to_string

from notifications.models import Channel
from notifications.services.zalo import template_data_json

SMS_SEGMENT = 160

# Marks outside the GSM-7 alphabet that would turn a whole SMS into UCS-2 (70 characters a
# segment): the quotes and dashes of Vietnamese documents, and the "…" of truncatechars
# (the SMS templates count it as three characters).
GSM_PUNCTUATION = str.maketrans(
    {"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "..."}
)


def strip_diacritics(text: str) -> str:
    """Vietnamese without its marks: "Sở Y tế" → "So Y te" (đ/Đ are letters, not marks)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    )


def template_base(texts: str, code: str, channel: str, language: str) -> str:
    """The templates' name without its ending (`.txt`, `.subject.txt`)."""
    return f"{texts}/{channel}/{code}.{language}"


def render(
    code: str,
    channel: str,
    language: str,
    context: Mapping[str, Any],
    *,
    texts: str,
    sms_with_diacritics: bool,
) -> tuple[str, str]:
    """(subject, body) of a message, in the recipient's language, from the sender's
    templates under `texts`. `sms_with_diacritics` is the office's choice
    (selectors.message_settings_get); it only matters for SMS."""
    base = template_base(texts, code, channel, language)
    if channel == Channel.ZALO:
        return "", template_data_json(f"{base}.txt", context)
    body = render_to_string(f"{base}.txt", dict(context)).strip()
    subject = ""
    if channel == Channel.EMAIL:
        subject = " ".join(render_to_string(f"{base}.subject.txt", dict(context)).split())
    if channel == Channel.SMS:
        body = " ".join(body.split())
        if not sms_with_diacritics:
            body = strip_diacritics(body).translate(GSM_PUNCTUATION)
            body = body.encode("ascii", "replace").decode()  # anything else: "?"
    return subject, body
