"""Writing an edXML status package (QCVN 102:2016/BTTTT) with lxml: every element built as
an element, never as formatted text, and the result checked against the structure the
product states (data/status.xsd) before it leaves."""

from functools import cache
from pathlib import Path

from lxml import etree
from lxml.builder import ElementMaker

from directives.edxml.reading import DATE_FORMATS, NS, PREFIX, TIMESTAMP_FORMAT, EdxmlStatus

STATUS_SCHEMA_FILE = Path(__file__).resolve().parent / "data" / "status.xsd"

E = ElementMaker(namespace=NS, nsmap={PREFIX: NS})


@cache
def status_schema() -> etree.XMLSchema:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(STATUS_SCHEMA_FILE), parser))


def status_write(status: EdxmlStatus) -> bytes:
    """The status package as UTF-8 XML, valid against data/status.xsd (a package that is
    not is a bug here, raised as lxml's DocumentInvalid, never sent)."""
    response_for = status.response_for
    envelope = E.edXMLEnvelope(
        E.edXMLHeader(
            E.Status(
                E.ResponseFor(
                    E.OrganId(response_for.organ_id),
                    E.Code(response_for.code),
                    E.PromulgationDate(response_for.promulgation_date.strftime(DATE_FORMATS[0])),
                    E.DocumentId(response_for.document_id),
                ),
                E.From(E.OrganId(status.sender.organ_id), E.OrganName(status.sender.name)),
                E.StatusCode(status.status_code),
                E.Description(status.description),
                E.Timestamp(status.timestamp.strftime(TIMESTAMP_FORMAT)),
                E.StaffInfo(
                    E.Department(status.staff.department),
                    E.Staff(status.staff.staff),
                    E.Mobile(status.staff.mobile),
                    E.Email(status.staff.email),
                ),
            )
        ),
        E.edXMLBody(),
    )
    status_schema().assertValid(envelope)
    return bytes(etree.tostring(envelope, xml_declaration=True, encoding="UTF-8"))
