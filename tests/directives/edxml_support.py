"""The edXML tests: a document package built with lxml from the standard's structure
(QCVN 102:2016: a root `edXML` holding the envelope and the AttachmentEncoded, as the
document exchange's SDKs write it), posting it, counting what was saved."""

import base64
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from lxml import etree
from lxml.builder import ElementMaker
from rest_framework.response import Response
from rest_framework.test import APIClient

from directives.models import Directive, DirectiveFile
from tests.factories import TaskFactory
from tests.samples import pdf_bytes
from tracker.models import Department, Task, User
from tracker.services import lifecycle

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
URL = "/api/v1/directives/edxml/"


def status_url(pk: int) -> str:
    return f"/api/v1/directives/{pk}/edxml-status/"


@dataclass
class Attachment:
    name: str = "Chỉ thị 12-CT-TTg.pdf"
    content_type: str = "application/pdf"
    content: bytes = field(default_factory=pdf_bytes)
    encoded: str | None = None  # the base64 text as sent, when not the content's


@dataclass
class Package:
    """A document package's values; `omit` drops elements by their path below the
    MessageHeader (`Code/CodeNumber`)."""

    organ_id: str = "000.00.00.G01"
    organ_name: str = "Văn phòng Chính phủ"
    document_id: str = "000.00.00.G01,2026/03/02,12/CT-TTg"
    code_number: str = "12"
    code_notation: str = "CT-TTg"
    promulgation_date: str = "2026/03/02"
    type_code: str = "3"
    type_name: str = "Chỉ thị"
    subject: str = "Về việc đẩy mạnh giải ngân vốn đầu tư công năm 2026"
    content: str = "Thủ tướng Chính phủ yêu cầu các bộ, ngành, địa phương khẩn trương thực hiện."
    signer: str = "Phạm Minh Chính"
    due_date: str = "2026/06/30"
    attachments: list[Attachment] = field(default_factory=lambda: [Attachment()])
    omit: tuple[str, ...] = ()
    namespace: str = NS

    def xml(self) -> bytes:
        E = ElementMaker(namespace=self.namespace, nsmap={"edXML": self.namespace})
        header = E.MessageHeader(
            E.From(
                E.OrganId(self.organ_id),
                E.OrganName(self.organ_name),
                E.OrganAdd("Số 1 Hoàng Hoa Thám, Ba Đình, Hà Nội"),
                E.Email("vpcp@chinhphu.vn"),
            ),
            E.To(E.OrganId("000.00.00.H00"), E.OrganName("Ủy ban nhân dân tỉnh")),
            E.Code(E.CodeNumber(self.code_number), E.CodeNotation(self.code_notation)),
            E.PromulgationInfo(E.Place("Hà Nội"), E.PromulgationDate(self.promulgation_date)),
            E.DocumentType(E.Type(self.type_code), E.TypeName(self.type_name)),
            E.Subject(self.subject),
            E.Content(self.content),
            E.SignerInfo(
                E.Competence("Thủ tướng"), E.Position("Thủ tướng"), E.FullName(self.signer)
            ),
            E.DueDate(self.due_date),
            E.OtherInfo(E.Priority("1"), E.PageAmount("3")),
            E.DocumentId(self.document_id),
        )
        for path in self.omit:
            found = header.find("/".join(f"{{{self.namespace}}}{name}" for name in path.split("/")))
            assert found is not None, path
            found.getparent().remove(found)
        envelope = E.edXMLEnvelope(
            E.edXMLHeader(
                header,
                E.TraceHeaderList(
                    E.TraceHeader(E.OrganId(self.organ_id), E.Timestamp("2026/03/02 08:00:00"))
                ),
            ),
            E.edXMLBody(E.edXMLManifest(version="1.0")),
        )
        root = E.edXML(envelope)
        if self.attachments:
            root.append(E.AttachmentEncoded(*(_attachment(E, a) for a in self.attachments)))
        return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def _attachment(E: ElementMaker, attachment: Attachment) -> etree._Element:
    encoded = attachment.encoded
    if encoded is None:
        encoded = base64.encodebytes(attachment.content).decode()  # wrapped lines, as sent
    return E.Attachment(
        E.ContentType(attachment.content_type),
        E.ContentId("cid-1"),
        E.Description("Văn bản kèm theo"),
        E.ContentTransferEncoded(encoded),
        E.AttachmentName(attachment.name),
    )


def post(client: APIClient, body: bytes, content_type: str = "application/xml") -> Response:
    response: Response = client.post(URL, data=body, content_type=content_type)
    return response


def media_files() -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def counts() -> tuple[int, int, int]:
    """Directives, their files' rows, the files stored."""
    return Directive.objects.count(), DirectiveFile.objects.count(), len(media_files())


def issued(day: str) -> dt.date:
    return dt.datetime.strptime(day, "%Y/%m/%d").date()


def without(items: Iterable[str], *names: str) -> tuple[str, ...]:
    return tuple(item for item in items if item not in names)


def task_of(directive: Directive, department: Department) -> Task:
    """A task of the directive, assigned ten days ago, due in ten."""
    today = timezone.localdate()
    return TaskFactory(
        directive=directive,
        lead_department=department,
        assigned_on=today - dt.timedelta(days=10),
        deadline=today + dt.timedelta(days=10),
    )


def complete(task: Task, officer: User, office: User) -> None:
    """The department reports the task completed and the office accepts it."""
    lifecycle.completion_report_create(
        task_id=task.pk, actor=officer, completed_on=timezone.localdate(), result="Đã xong"
    )
    lifecycle.completion_accept(task_id=task.pk, actor=office)
