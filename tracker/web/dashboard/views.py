"""The indicators dashboard (`/dashboard/`): for a period and an as-of date, what
`GET /api/v1/indicators/` and `GET /api/v1/leadership-score/` answer, read through the same
selectors: each department's counts and rates (every count a link to its tasks), the
on-time rate as bars, the points under every scoring rule of the year, and the files to
download. A department member sees its own row: `indicator_departments` decides."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from config.web.access import AuthenticatedHttpRequest, page
from tracker.api.indicator_outputs import indicator_data
from tracker.permissions import user_reads_tasks
from tracker.selectors.indicator_access import indicator_departments
from tracker.selectors.indicators import indicator_report
from tracker.selectors.report_settings import rate_display_get
from tracker.selectors.scoring import rule_scores, scoring_rules_of_year
from tracker.selectors.tasks import local_today
from tracker.web.dashboard.chart import on_time_chart
from tracker.web.dashboard.forms import PeriodChoice, read_period, year_bounds
from tracker.web.dashboard.numbers import NumberText
from tracker.web.dashboard.scores import score_table
from tracker.web.dashboard.tables import (
    Sort,
    by_code,
    indicator_table,
    sortable,
    with_exact_rates,
)

TEMPLATE = "tracker/dashboard/dashboard.html"
TABLE_ANCHOR = "indicators"


@dataclass(frozen=True)
class Shortcut:
    label: str | Promise
    url: str
    current: bool


def _shortcuts(today: date, chosen: PeriodChoice | None) -> list[Shortcut]:
    """This year, this quarter, last month: the usual reporting periods."""
    first_month = 3 * ((today.month - 1) // 3) + 1
    end_month = first_month + 2
    quarter_end = date(today.year, end_month, calendar.monthrange(today.year, end_month)[1])
    last_month_end = today.replace(day=1) - timedelta(days=1)
    periods = (
        (_("This year"), *year_bounds(today)),
        (_("This quarter"), date(today.year, first_month, 1), quarter_end),
        (_("Last month"), last_month_end.replace(day=1), last_month_end),
    )
    return [
        Shortcut(
            label,
            f"?{urlencode({'from': first.isoformat(), 'to': last.isoformat()})}",
            chosen is not None
            and chosen.as_of is None
            and (chosen.date_from, chosen.date_to) == (first, last),
        )
        for label, first, last in periods
    ]


def _downloads(data: dict[str, Any]) -> dict[str, str]:
    dates = {"from": data["from"], "to": data["to"], "as_of": data["as_of"]}
    url = reverse("indicators")
    return {
        file_format: f"{url}?{urlencode({**dates, 'format': file_format})}"
        for file_format in ("xlsx", "csv", "docx", "pdf")
    }


@page(user_reads_tasks)
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = local_today()
    form, chosen = read_period(request.GET, today)
    context: dict[str, Any] = {"form": form, "shortcuts": _shortcuts(today, chosen)}
    if chosen is None:
        return TemplateResponse(request, TEMPLATE, context, status=400)
    departments = indicator_departments(request.user, None)
    report = indicator_report(
        date_from=chosen.date_from,
        date_to=chosen.date_to,
        as_of=chosen.as_of,
        today=today,
        departments=departments,
    )
    rules = scoring_rules_of_year(report.date_to.year)
    data = indicator_data(report)
    with_exact_rates(data, report)
    rows = by_code(data["departments"])
    named = report.named_rates
    sort = Sort.parse(request.GET.get("sort", ""), sortable(named))
    numbers = NumberText(rate_display_get())
    context.update(
        report=report,
        period=report.period,
        table=indicator_table(data, rows, sort, chosen.query(), TABLE_ANCHOR, numbers, named),
        table_anchor=TABLE_ANCHOR,
        chart=on_time_chart(rows, numbers),
        scores=score_table(
            rule_scores(rules=rules, report=report, departments=departments), numbers
        ),
        rule_year=report.date_to.year,
        downloads=_downloads(data),
        own_department=request.user.department if request.user.is_department_member else None,
    )
    return TemplateResponse(request, TEMPLATE, context)
