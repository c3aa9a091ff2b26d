"""Files attached to progress and completion reports: checked by their content (not by
their name alone), limited in size, stored through Django's storage API."""

import uuid
from collections.abc import Iterable

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from tracker.models import Attachment, CompletionReport, ProgressReport, User

# The content types a report may carry, by the extension their content is detected as.
ALLOWED = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "jpg": "image/jpeg",
    "png": "image/png",
}
SAME_KIND = {"jpeg": "jpg"}
_SNIFF_BYTES = 8192


def attachment_kind(upload: UploadedFile) -> str:
    """The allowed extension the upload's content is, or a ValidationError saying why not."""
    name = upload.name or ""
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("“%(name)s” is larger than %(max)d MB.")
            % {"name": name, "max": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)}
        )
    upload.seek(0)
    head = upload.read(_SNIFF_BYTES)
    upload.seek(0)
    detected = filetype.guess(head)
    kind = detected.extension if detected else None
    if kind not in ALLOWED:
        raise ValidationError(
            _("“%(name)s” is not an allowed file (pdf, doc, docx, xls, xlsx, odt, ods, jpg, png).")
            % {"name": name}
        )
    claimed = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if SAME_KIND.get(claimed, claimed) != kind:
        raise ValidationError(
            _("The content of “%(name)s” is %(kind)s, which its name does not say.")
            % {"name": name, "kind": kind.upper()}
        )
    return kind


def attachments_check(uploads: Iterable[UploadedFile]) -> list[str]:
    """Every upload's kind; the errors of all of them at once."""
    kinds, errors = [], []
    for upload in uploads:
        try:
            kinds.append(attachment_kind(upload))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError({"attachments": errors})
    return kinds


def attachments_save(
    uploads: Iterable[UploadedFile],
    *,
    actor: User,
    progress_report: ProgressReport | None = None,
    completion_report: CompletionReport | None = None,
) -> list[Attachment]:
    """Stores the files and their rows; the caller's transaction covers the rows, and a file
    stored before a failure is deleted again, so nothing is left half-saved."""
    uploads = list(uploads)
    kinds = attachments_check(uploads)
    saved: list[Attachment] = []
    try:
        for upload, kind in zip(uploads, kinds, strict=True):
            attachment = Attachment(
                progress_report=progress_report,
                completion_report=completion_report,
                original_name=upload.name[:255],
                content_type=ALLOWED[kind],
                size=upload.size,
                uploaded_by=actor,
            )
            attachment.file.save(f"{uuid.uuid4().hex}.{kind}", upload, save=False)
            saved.append(attachment)
            attachment.save()
    except BaseException:
        for attachment in saved:
            attachment.file.delete(save=False)
        raise
    return saved
