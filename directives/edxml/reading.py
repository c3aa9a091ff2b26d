"""Reading an edXML package (QCVN 102:2016/BTTTT): a document package (a MessageHeader and
its attachments) or a status package (a Status), one reader for both.

What a client sends is read safely: the size is judged before anything is parsed; the
prolog up to the root element is read first by defusedxml, which refuses any document type
declaration (the only place entities are declared, so a "billion laughs" or an external
entity is refused before a single entity exists); only then is the whole package parsed by
lxml with entities, the DTD and the network off. Every problem of the header is named by
its element's path (`MessageHeader/Code/CodeNumber`), all of them at once."""

import base64
import binascii
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import XMLParser as DefusedXMLParser
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from lxml import etree

from config.common.dates import EARLIEST_DATE, LATEST_DATE
from config.common.text import excerpt

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
PREFIX = "edXML"
# The prolog (XML declaration, comments, a document type) is read in chunks of this size
# until the root element starts.
_PROLOG_CHUNK = 64 * 1024
# The standard writes dates as yyyy/MM/dd; ISO's yyyy-MM-dd is taken too.
DATE_FORMATS = ("%Y/%m/%d", "%Y-%m-%d")
TIMESTAMP_FORMAT = "%Y/%m/%d %H:%M:%S"
PACKAGE = "package"  # the error key of what concerns the whole package
ATTACHMENTS = "AttachmentEncoded"


def q(name: str) -> str:
    """The element's qualified name in the standard's namespace."""
    return f"{{{NS}}}{name}"


class EdxmlInvalid(ValidationError):
    """What is wrong with a package: `{element path: [messages]}`."""


@dataclass(frozen=True)
class Organ:
    organ_id: str
    name: str = ""


@dataclass(frozen=True)
class EdxmlAttachment:
    name: str
    content_type: str
    content: bytes
    description: str = ""


@dataclass(frozen=True)
class EdxmlDocument:
    """A document package's header and attachments, as plain values."""

    sender: Organ
    document_id: str
    code_number: str
    code_notation: str
    promulgation_date: dt.date
    place: str
    type_code: str
    type_name: str
    subject: str
    content: str
    signer: str
    due_date: dt.date | None
    attachments: list[EdxmlAttachment] = field(default_factory=list)


@dataclass(frozen=True)
class ResponseFor:
    organ_id: str
    code: str
    promulgation_date: dt.date
    document_id: str


@dataclass(frozen=True)
class StaffInfo:
    department: str = ""
    staff: str = ""
    mobile: str = ""
    email: str = ""


@dataclass(frozen=True)
class EdxmlStatus:
    """A status package: how the document `response_for` stands at its receiver."""

    sender: Organ
    response_for: ResponseFor
    status_code: str
    description: str
    timestamp: dt.datetime
    staff: StaffInfo


class _RootReached(Exception):
    pass


class _StopAtRoot:
    """A parser target that stops at the root element's start tag: everything that may
    declare an entity comes before it."""

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        raise _RootReached

    def close(self) -> None:
        return None


def _refuse(path: str, message: str) -> EdxmlInvalid:
    return EdxmlInvalid({path: [message]})


def _prolog_check(package: bytes) -> None:
    parser = DefusedXMLParser(target=_StopAtRoot(), forbid_dtd=True)
    try:
        for start in range(0, len(package), _PROLOG_CHUNK):
            parser.feed(package[start : start + _PROLOG_CHUNK])
        parser.close()
    except _RootReached:
        return
    except DefusedXmlException:
        raise _refuse(
            PACKAGE, _("The package declares a document type or entities, which are refused.")
        ) from None
    except SyntaxError as exc:  # ElementTree's ParseError
        raise _refuse(
            PACKAGE, _("The package is not well-formed XML: %(reason)s") % {"reason": exc}
        ) from None
    raise _refuse(PACKAGE, _("The package holds no XML element."))


def _parse(package: bytes) -> etree._Element:
    if len(package) > settings.EDXML_MAX_BYTES:
        raise _refuse(
            PACKAGE,
            _("The package is larger than %(max)s.")
            % {"max": filesizeformat(settings.EDXML_MAX_BYTES)},
        )
    _prolog_check(package)
    # huge_tree: an attachment's base64 text may exceed libxml2's 10 MB per text node; what
    # the option guards against (entity amplification) is refused above, and the size of
    # the whole package is bounded.
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=True,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(package, parser)
    except etree.XMLSyntaxError as exc:
        raise _refuse(
            PACKAGE, _("The package is not well-formed XML: %(reason)s") % {"reason": exc.msg}
        ) from None
    if root.getroottree().docinfo.doctype:  # pragma: no cover - refused by the prolog check
        raise _refuse(PACKAGE, _("The package declares a document type, which is refused."))
    return root


def _envelope(root: etree._Element) -> etree._Element:
    """The edXMLEnvelope: the root itself or, as the SDKs write it, the child of a root
    `edXML` element (which also holds the AttachmentEncoded)."""
    if root.tag == q("edXMLEnvelope"):
        return root
    found = root.find(q("edXMLEnvelope")) if root.tag == q("edXML") else None
    if found is None:
        namespace = etree.QName(root).namespace or ""
        if namespace != NS:
            raise _refuse(
                PACKAGE,
                _("The package is not in the edXML namespace %(expected)s (found “%(found)s”).")
                % {"expected": NS, "found": excerpt(namespace)},
            )
        raise _refuse("edXMLEnvelope", _("The package has no edXMLEnvelope element."))
    return found


class _Reader:
    """Reads the values of one element's children, collecting every problem by path."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def error(self, path: str, message: str) -> None:
        self.errors.setdefault(path, []).append(message)

    def text(self, parent: etree._Element | None, path: str, *, required: bool = False) -> str:
        """The stripped text of `parent`'s descendant at `path` (names joined by "/"
        below the parent, whose own name is the path's first part)."""
        names = path.split("/")[1:]
        element = parent
        for name in names:
            element = element.find(q(name)) if element is not None else None
        value = " ".join((element.text or "").split()) if element is not None else ""
        if required and not value:
            self.error(path, _("This element is required."))
        return value

    def required_date(self, parent: etree._Element | None, path: str) -> dt.date:
        """The date, or (its error recorded, so never returned by the reader) a stand-in."""
        return self.date(parent, path, required=True) or EARLIEST_DATE

    def date(
        self, parent: etree._Element | None, path: str, *, required: bool = False
    ) -> dt.date | None:
        text = self.text(parent, path, required=required)
        if not text:
            return None
        for pattern in DATE_FORMATS:
            try:
                value = dt.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
            if not EARLIEST_DATE <= value <= LATEST_DATE:
                self.error(
                    path,
                    _("The date must be between %(first)s and %(last)s.")
                    % {"first": EARLIEST_DATE.isoformat(), "last": LATEST_DATE.isoformat()},
                )
                return None
            return value
        self.error(
            path,
            _("“%(value)s” is not a date written yyyy/MM/dd.") % {"value": excerpt(text)},
        )
        return None

    def raise_errors(self) -> None:
        if self.errors:
            raise EdxmlInvalid(self.errors)


def _attachment_elements(root: etree._Element) -> Iterator[etree._Element]:
    for encoded in root.iter(q(ATTACHMENTS)):
        yield from encoded.iterfind(q("Attachment"))


def _attachments(root: etree._Element, reader: _Reader) -> list[EdxmlAttachment]:
    found = []
    for position, element in enumerate(_attachment_elements(root), 1):
        path = f"{ATTACHMENTS}/Attachment[{position}]"
        name = reader.text(element, "Attachment/AttachmentName") or f"attachment-{position}"
        encoded = element.findtext(q("ContentTransferEncoded")) or ""
        if encoded.strip().lower() == "base64":
            encoded = element.text or ""  # the encoding named, the content as the text
        try:
            content = base64.b64decode("".join(encoded.split()), validate=True)
        except (binascii.Error, ValueError):
            reader.error(
                path, _("“%(name)s” is not valid base64 content.") % {"name": excerpt(name)}
            )
            continue
        if not content:
            reader.error(path, _("“%(name)s” is empty.") % {"name": excerpt(name)})
            continue
        found.append(
            EdxmlAttachment(
                name=name,
                content_type=reader.text(element, "Attachment/ContentType"),
                content=content,
                description=reader.text(element, "Attachment/Description"),
            )
        )
    return found


def _document(root: etree._Element, header: etree._Element) -> EdxmlDocument:
    reader = _Reader()
    message = header.find(q("MessageHeader"))
    assert message is not None  # chosen by edxml_read
    m = "MessageHeader"
    document = EdxmlDocument(
        sender=Organ(
            organ_id=reader.text(message, f"{m}/From/OrganId", required=True),
            name=reader.text(message, f"{m}/From/OrganName"),
        ),
        document_id=reader.text(message, f"{m}/DocumentId", required=True),
        code_number=reader.text(message, f"{m}/Code/CodeNumber", required=True),
        code_notation=reader.text(message, f"{m}/Code/CodeNotation", required=True),
        promulgation_date=reader.required_date(message, f"{m}/PromulgationInfo/PromulgationDate"),
        place=reader.text(message, f"{m}/PromulgationInfo/Place"),
        type_code=reader.text(message, f"{m}/DocumentType/Type"),
        type_name=reader.text(message, f"{m}/DocumentType/TypeName"),
        subject=reader.text(message, f"{m}/Subject", required=True),
        content=reader.text(message, f"{m}/Content"),
        signer=reader.text(message, f"{m}/SignerInfo/FullName", required=True),
        due_date=reader.date(message, f"{m}/DueDate"),
        attachments=_attachments(root, reader),
    )
    if not document.type_code and not document.type_name:
        reader.error(f"{m}/DocumentType", _("The document type (Type or TypeName) is required."))
    reader.raise_errors()
    return document


def _status(header: etree._Element) -> EdxmlStatus:
    reader = _Reader()
    status = header.find(q("Status"))
    assert status is not None  # chosen by edxml_read
    s = "Status"
    timestamp_text = reader.text(status, f"{s}/Timestamp", required=True)
    timestamp = dt.datetime.combine(EARLIEST_DATE, dt.time())  # replaced, or an error raised
    if timestamp_text:
        try:
            timestamp = dt.datetime.strptime(timestamp_text, TIMESTAMP_FORMAT)
        except ValueError:
            reader.error(
                f"{s}/Timestamp",
                _("“%(value)s” is not a time written yyyy/MM/dd HH:mm:ss.")
                % {"value": excerpt(timestamp_text)},
            )
    result = EdxmlStatus(
        sender=Organ(
            organ_id=reader.text(status, f"{s}/From/OrganId", required=True),
            name=reader.text(status, f"{s}/From/OrganName"),
        ),
        response_for=ResponseFor(
            organ_id=reader.text(status, f"{s}/ResponseFor/OrganId", required=True),
            code=reader.text(status, f"{s}/ResponseFor/Code", required=True),
            promulgation_date=reader.required_date(status, f"{s}/ResponseFor/PromulgationDate"),
            document_id=reader.text(status, f"{s}/ResponseFor/DocumentId", required=True),
        ),
        status_code=reader.text(status, f"{s}/StatusCode", required=True),
        description=reader.text(status, f"{s}/Description"),
        timestamp=timestamp,
        staff=StaffInfo(
            department=reader.text(status, f"{s}/StaffInfo/Department"),
            staff=reader.text(status, f"{s}/StaffInfo/Staff"),
            mobile=reader.text(status, f"{s}/StaffInfo/Mobile"),
            email=reader.text(status, f"{s}/StaffInfo/Email"),
        ),
    )
    reader.raise_errors()
    return result


def edxml_read(package: bytes) -> EdxmlDocument | EdxmlStatus:
    """The package's content, or EdxmlInvalid naming every problem found."""
    root = _parse(package)
    envelope = _envelope(root)
    header = envelope.find(q("edXMLHeader"))
    if header is None:
        raise _refuse("edXMLHeader", _("The package has no edXMLHeader element."))
    if header.find(q("MessageHeader")) is not None:
        return _document(root, header)
    if header.find(q("Status")) is not None:
        return _status(header)
    raise _refuse(
        "edXMLHeader", _("The header holds neither a MessageHeader nor a Status element.")
    )
