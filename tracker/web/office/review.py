"""The review queue: what awaits the office's or a leader's decision, each item with its
text and files, and the forms that post to the task pages' actions."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from config.common.text import StrOrPromise
from config.web.access import AuthenticatedHttpRequest, page
from tracker.models import CompletionReport, ExtensionRequest, User
from tracker.permissions import user_is_office_or_leader
from tracker.selectors.review import (
    Timeliness,
    completion_timeliness,
    pending_completion_reports,
    pending_extension_requests,
)
from tracker.services.lifecycle import allowed_actions, withheld_actions

# The oldest this many of each queue are listed (an import may leave 200,000 reports
# awaiting acceptance); their totals are counted, and deciding them lists the next.
REVIEW_SHOWN = 50
REPORT_ACTIONS = ("accept_completion", "return")
EXTENSION_ACTIONS = ("decide_extension",)

TIMELINESS = {
    Timeliness.EARLY: _("On time (before the deadline)"),
    Timeliness.ON_DEADLINE_DAY: _("On time (on the deadline day)"),
    Timeliness.LATE: _("Late (after the deadline)"),
    Timeliness.NO_DEADLINE: _("The task has no deadline"),
}


@dataclass(frozen=True)
class ReportItem:
    report: CompletionReport
    actions: frozenset[str]
    timeliness: Timeliness
    timeliness_label: str | Promise
    own: StrOrPromise  # why the user may not decide it: they reported it


@dataclass(frozen=True)
class ExtensionItem:
    request: ExtensionRequest
    actions: frozenset[str]
    own: StrOrPromise  # why the user may not decide it: they asked for it


def _own(withheld: Mapping[str, StrOrPromise]) -> StrOrPromise:
    return next(iter(withheld.values()), "")


def _report_item(user: User, report: CompletionReport) -> ReportItem:
    timeliness = completion_timeliness(report.completed_on, report.task.effective_deadline)
    return ReportItem(
        report=report,
        actions=allowed_actions(user, report.task, among=REPORT_ACTIONS, subject=report),
        timeliness=timeliness,
        timeliness_label=TIMELINESS[timeliness],
        own=_own(withheld_actions(user, report.task, among=REPORT_ACTIONS, subject=report)),
    )


def _extension_item(user: User, request: ExtensionRequest) -> ExtensionItem:
    among = EXTENSION_ACTIONS
    return ExtensionItem(
        request=request,
        actions=allowed_actions(user, request.task, among=among, subject=request),
        own=_own(withheld_actions(user, request.task, among=among, subject=request)),
    )


def _total(pending: QuerySet, shown: int) -> int:
    """How many are pending: counted in SQL only when the list was cut."""
    return pending.count() if shown == REVIEW_SHOWN else shown


@page(user_is_office_or_leader)
def review(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    pending_reports, pending_requests = (
        pending_completion_reports(user),
        pending_extension_requests(user),
    )
    reports = [_report_item(user, report) for report in pending_reports[:REVIEW_SHOWN]]
    extensions = [_extension_item(user, item) for item in pending_requests[:REVIEW_SHOWN]]
    context = {
        "reports": reports,
        "reports_total": _total(pending_reports, len(reports)),
        "extensions": extensions,
        "extensions_total": _total(pending_requests, len(extensions)),
        # Completion reports are the office's to decide; a leader's queue is extensions.
        "shows_reports": user.is_office,
        "next": reverse("review"),
    }
    return TemplateResponse(request, "tracker/office/review.html", context)
