"""The status package a directive received by edXML reports back to its sender: its stage
from its tasks' progress, with the counts, addressed to the original document."""

from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from django.conf import settings
from django.utils import timezone

from config.common.clock import now
from directives.edxml.reading import EdxmlStatus, Organ, ResponseFor, StaffInfo
from directives.edxml.writing import status_write
from directives.models import Directive
from directives.selectors import directive_progress
from tracker.models import TaskStatus
from tracker.selectors.report_settings import report_settings_get

STATUS_CODES_FILE = Path(__file__).resolve().parent / "data" / "status_codes.yaml"
Stage = Literal["accepted", "assigned", "in_progress", "completed"]


@cache
def status_codes() -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = yaml.safe_load(STATUS_CODES_FILE.read_text("utf-8"))
    return data


def directive_has_status_package(directive: Directive) -> bool:
    """Only a directive received as an edXML document has a sender to report back to."""
    return bool(directive.external_id and directive.higher_organ_id)


def directive_stage(directive: Directive) -> tuple[Stage, int, int]:
    """(stage, completed tasks, tasks not cancelled): completed when every task not
    cancelled is; in progress once one has started, been reported or completed; assigned
    while its tasks wait (assigned or paused); accepted, before it has any."""
    progress = directive_progress(directive)
    counts = progress["by_status"]
    total = progress["total"] - counts[TaskStatus.CANCELLED]
    completed = counts[TaskStatus.COMPLETED]
    if progress["completed"]:
        return "completed", completed, total
    started = counts[TaskStatus.IN_PROGRESS] + counts[TaskStatus.AWAITING_ACCEPTANCE] + completed
    if started:
        return "in_progress", completed, total
    if total:
        return "assigned", completed, total
    return "accepted", completed, total


def directive_status_due(directive: Directive) -> bool:
    """Whether the completed status is to be pushed: a directive received by edXML whose
    tasks are all completed (the delivery calls this after a task completes)."""
    return directive_has_status_package(directive) and bool(
        directive_progress(directive)["completed"]
    )


def directive_status(directive: Directive) -> EdxmlStatus:
    """The status of the directive as the package carries it. From: the province
    (settings.EDXML_ORGAN_ID; its name the report settings' governing body, else
    settings.EDXML_ORGAN_NAME); StaffInfo: the office (the report settings' issuing body
    and its preparer, the officer who follows the directives up)."""
    stage, completed, total = directive_stage(directive)
    code = status_codes()[stage]
    office = report_settings_get()
    return EdxmlStatus(
        sender=Organ(
            organ_id=settings.EDXML_ORGAN_ID,
            name=office.governing_body or settings.EDXML_ORGAN_NAME,
        ),
        response_for=ResponseFor(
            organ_id=directive.higher_organ_id,
            code=directive.higher_number or directive.number,
            promulgation_date=directive.issued_on,
            document_id=directive.external_id,
        ),
        status_code=code["code"],
        description=code["description"] % {"completed": completed, "total": total},
        timestamp=timezone.localtime(now()),
        staff=StaffInfo(
            department=office.issuing_body or office.governing_body,
            staff=office.preparer_name or office.signer_name,
        ),
    )


def directive_status_package(directive: Directive) -> bytes:
    """The edXML status package of a directive received by edXML (the API serves it; the
    delivery pushes it to the sender)."""
    return status_write(directive_status(directive))
