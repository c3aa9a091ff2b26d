"""The edXML status package of a directive received by edXML: its stage from its tasks,
read back by the same reader, valid against the structure stated, carrying the original's
identifiers."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import override_settings
from django.utils import timezone
from lxml import etree
from rest_framework.test import APIClient

from directives.edxml.reading import NS, EdxmlStatus, edxml_read
from directives.edxml.service import directive_receive_edxml
from directives.edxml.status import (
    directive_stage,
    directive_status_due,
    directive_status_package,
)
from directives.edxml.writing import status_schema
from directives.models import Directive
from tests.directives.edxml_support import Package, complete, status_url, task_of
from tests.factories import DirectiveFactory
from tracker.models import Department, User
from tracker.services import lifecycle
from tracker.services.report_settings import report_settings_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(office_user: User) -> Directive:
    return directive_receive_edxml(actor=office_user, package=Package().xml()).directive


def _read(package: bytes) -> EdxmlStatus:
    status = edxml_read(package)
    assert isinstance(status, EdxmlStatus)
    return status


@override_settings(EDXML_ORGAN_ID="000.00.00.H23", EDXML_ORGAN_NAME="UBND tỉnh Hà Giang")
def test_the_status_of_a_completed_directive(
    api: Callable[..., APIClient],
    received: Directive,
    department: Department,
    officer: User,
    office_user: User,
) -> None:
    report_settings_update(issuing_body="VĂN PHÒNG", preparer_name="Trần Thị Bình")
    for task in (task_of(received, department), task_of(received, department)):
        complete(task, officer, office_user)
    assert directive_status_due(received)
    response = api(office_user).get(status_url(received.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    status = _read(response.content)
    assert status.response_for.document_id == "000.00.00.G01,2026/03/02,12/CT-TTg"
    assert status.response_for.organ_id == "000.00.00.G01"
    assert status.response_for.code == "12/CT-TTg"
    assert status.response_for.promulgation_date == dt.date(2026, 3, 2)
    assert status.status_code == "06"
    assert status.description == "Đã hoàn thành 2/2 nhiệm vụ."
    assert (status.sender.organ_id, status.sender.name) == ("000.00.00.H23", "UBND tỉnh Hà Giang")
    assert (status.staff.department, status.staff.staff) == ("VĂN PHÒNG", "Trần Thị Bình")
    assert abs(timezone.localtime().replace(tzinfo=None) - status.timestamp) < dt.timedelta(
        minutes=1
    )


def test_the_package_holds_the_structure_stated(received: Directive) -> None:
    root = etree.fromstring(directive_status_package(received))
    assert status_schema().validate(root), status_schema().error_log
    paths = [root.getroottree().getpath(element).replace("/*", "") for element in root.iter()]
    assert len(paths) > 10
    names = [etree.QName(element).localname for element in root.iter()]
    assert names[:4] == ["edXMLEnvelope", "edXMLHeader", "Status", "ResponseFor"]
    assert {etree.QName(element).namespace for element in root.iter()} == {NS}
    assert root.prefix == "edXML"


def test_the_schema_refuses_a_package_missing_its_status_code(received: Directive) -> None:
    root = etree.fromstring(directive_status_package(received))
    code = root.find(f".//{{{NS}}}StatusCode")
    code.getparent().remove(code)
    assert not status_schema().validate(root)


def test_the_stages_follow_the_tasks(
    received: Directive, department: Department, officer: User, office_user: User
) -> None:
    assert directive_stage(received) == ("accepted", 0, 0)
    assert _read(directive_status_package(received)).status_code == "03"
    first, second, dropped = (task_of(received, department) for _ in range(3))
    assert directive_stage(received) == ("assigned", 0, 3)
    assert _read(directive_status_package(received)).description == "Đã phân công 3 nhiệm vụ."
    lifecycle.task_cancel(task_id=dropped.pk, actor=office_user, reason="Không còn phù hợp")
    lifecycle.progress_report_create(task_id=first.pk, actor=officer, note="Đã bắt đầu")
    assert directive_stage(received) == ("in_progress", 0, 2)
    complete(first, officer, office_user)
    status = _read(directive_status_package(received))
    assert status.status_code == "05"
    assert status.description == "Đang xử lý: đã hoàn thành 1/2 nhiệm vụ."
    assert not directive_status_due(received)
    complete(second, officer, office_user)
    assert directive_stage(received) == ("completed", 2, 2)
    assert directive_status_due(received)


def test_a_directive_not_received_by_edxml_is_never_due(
    department: Department, officer: User, office_user: User
) -> None:
    directive = DirectiveFactory()
    complete(task_of(directive, department), officer, office_user)
    assert not directive_status_due(directive)
