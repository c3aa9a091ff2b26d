"""Receiving a directive as an edXML document package: all or nothing, once."""

import hashlib
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from directives.edxml.mapping import directive_fields
from directives.edxml.reading import ATTACHMENTS, EdxmlDocument, EdxmlInvalid, edxml_read
from directives.models import Directive, DirectiveFile
from directives.selectors import directive_already_received
from directives.services import directive_create
from tracker.models import User
from tracker.services.attachments import ALLOWED, attachments_check

if TYPE_CHECKING:
    # django-stubs' type is generic (the stubs' alone: the class takes no argument at run time).
    Upload = UploadedFile[bytes]
else:
    Upload = UploadedFile


class Receipt(NamedTuple):
    """What receiving a package did: the directive, whether it was created now and, when
    not, why it was taken for one already received."""

    directive: Directive
    created: bool
    note: str = ""


def _uploads(document: EdxmlDocument) -> list[Upload]:
    return [
        SimpleUploadedFile(attachment.name, attachment.content, attachment.content_type)
        for attachment in document.attachments
    ]


def _checked_kinds(uploads: Sequence[Upload]) -> list[str]:
    """Each file's kind by the rules of a report's attachments (content, size), or
    EdxmlInvalid with every bad file named under AttachmentEncoded."""
    try:
        return attachments_check(uploads)
    except ValidationError as exc:
        raise EdxmlInvalid({ATTACHMENTS: exc.messages}) from None


def _already_received(fields: dict[str, Any], directive: Directive) -> Receipt:
    if directive.external_id == fields["external_id"]:
        note = _("This package was already received: nothing new was created.")
    else:
        note = _(
            "A directive numbered %(number)s of %(year)d was already received under another "
            "DocumentId: nothing new was created."
        ) % {"number": directive.number, "year": directive.issued_on.year}
    return Receipt(directive, False, note)


def _files_save(
    directive: Directive,
    uploads: Sequence[Upload],
    kinds: Sequence[str],
    saved: list[DirectiveFile],
) -> None:
    """Stores the files and their rows, each stored file added to `saved` at once, so the
    caller can delete them again if the transaction does not commit."""
    for upload, kind in zip(uploads, kinds, strict=True):
        assert upload.name is not None and upload.size is not None  # checked before
        upload.seek(0)
        digest = hashlib.sha256(upload.read()).hexdigest()
        upload.seek(0)
        row = DirectiveFile(
            directive=directive,
            name=upload.name[:255],
            content_type=ALLOWED[kind],
            size=upload.size,
            sha256=digest,
        )
        row.file.save(f"{uuid.uuid4().hex}.{kind}", upload, save=False)
        saved.append(row)
        row.save()


def directive_receive_edxml(*, actor: User | None, package: bytes) -> Receipt:
    """Reads the package, maps its header to a directive and checks its attachments (every
    problem named: EdxmlInvalid); a document received before (its DocumentId, or its number
    in its issue year) is returned as it is; else the directive and its files are created
    in one transaction, the files written only once every check has passed."""
    document = edxml_read(package)
    if not isinstance(document, EdxmlDocument):
        raise EdxmlInvalid(
            {"edXMLHeader": [_("A status package carries no directive; send a document.")]}
        )
    uploads = _uploads(document)
    # The header's problems and the files' named together.
    errors: dict[str, list[str]] = {}
    fields: dict[str, Any] = {}
    kinds: list[str] = []
    try:
        fields = directive_fields(document)
    except EdxmlInvalid as exc:
        errors.update(exc.message_dict)
    try:
        kinds = _checked_kinds(uploads)
    except EdxmlInvalid as exc:
        errors.update(exc.message_dict)
    if errors:
        raise EdxmlInvalid(errors)
    existing = directive_already_received(
        external_id=fields["external_id"], number=fields["number"], year=fields["issued_on"].year
    )
    if existing is not None:
        return _already_received(fields, existing)
    saved: list[DirectiveFile] = []
    try:
        # The outermost transaction (durable): once it has committed the files are the
        # directive's; if anything fails up to and including the commit they are deleted.
        with transaction.atomic(durable=True):
            directive = directive_create(actor=actor, **fields)
            _files_save(directive, uploads, kinds, saved)
    except BaseException as exc:
        for row in saved:
            row.file.delete(save=False)
        if not isinstance(exc, IntegrityError | ValidationError):
            raise
        # The same package received meanwhile by a concurrent request: that one holds it.
        existing = directive_already_received(
            external_id=fields["external_id"],
            number=fields["number"],
            year=fields["issued_on"].year,
        )
        if existing is None:
            raise
        return _already_received(fields, existing)
    return Receipt(directive, True)
