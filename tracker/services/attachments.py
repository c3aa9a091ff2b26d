"""Files attached to progress and completion reports: checked by their content (not by
their name alone), limited in size, stored through Django's storage API."""

import uuid
from collections.abc import Iterable

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from config.common.archives import (
    ArchiveRefused,
    inspect_zip,
    is_xml_part,
    read_entry,
    xml_prolog_check,
)
from config.common.text import excerpt
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
_ZIP_MAGIC = b"PK\x03\x04"
# Office Open XML is known by its main part, OpenDocument by its `mimetype` entry.
_OOXML_PARTS = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx"}
# The longest OpenDocument media type is under 80 bytes: reading more proves nothing.
_MIMETYPE_MAX_BYTES = 128
_ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}


def _zip_kind(upload: UploadedFile) -> str | None:
    """The office format a zip archive holds, read from its directory (every writer orders
    the entries its own way, so the first bytes are not enough), once the archive is within
    the limits (config.common.archives) and none of its XML parts declares a document type
    or entities; nothing is unpacked beyond the `mimetype` entry's first bytes and each XML
    part's prolog. ArchiveRefused says why an archive is refused."""
    try:
        with inspect_zip(upload) as archive:
            names = set(archive.namelist())
            for name in sorted(names):
                if is_xml_part(name):
                    xml_prolog_check(archive, name)
            for part, kind in _OOXML_PARTS.items():
                if part in names:
                    return kind
            if "mimetype" in names:
                mimetype = read_entry(archive, "mimetype", limit=_MIMETYPE_MAX_BYTES)
                return _ODF_MIMETYPES.get(mimetype.strip())
    finally:
        upload.seek(0)
    return None


def attachment_kind(upload: UploadedFile) -> str:
    """The allowed extension the upload's content is, or a ValidationError saying why not."""
    full_name = upload.name or ""
    name = excerpt(full_name)
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("“%(name)s” is larger than %(max)s.")
            % {"name": name, "max": filesizeformat(settings.ATTACHMENT_MAX_BYTES)}
        )
    upload.seek(0)
    head = upload.read(_SNIFF_BYTES)
    upload.seek(0)
    if head.startswith(_ZIP_MAGIC):
        try:
            kind = _zip_kind(upload)
        except ArchiveRefused as exc:
            raise ValidationError(
                _("“%(name)s” is refused: %(reason)s") % {"name": name, "reason": exc.message}
            ) from None
    else:
        detected = filetype.guess(head)
        kind = detected.extension if detected else None
    if kind not in ALLOWED:
        raise ValidationError(
            _("“%(name)s” is not an allowed file (pdf, doc, docx, xls, xlsx, odt, ods, jpg, png).")
            % {"name": name}
        )
    claimed = full_name.rsplit(".", 1)[-1].lower() if "." in full_name else ""
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
            # attachments_check has read both: the name its kind must match, the size.
            assert upload.name is not None and upload.size is not None
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
        if saved:
            # Foreign keys are checked at commit (deferred), when a failure would no longer
            # come through here: a report deleted meanwhile must fail now, with its files.
            connection.check_constraints(table_names=[Attachment._meta.db_table])
    except BaseException:
        for attachment in saved:
            attachment.file.delete(save=False)
        raise
    return saved
