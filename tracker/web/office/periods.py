"""Closed reporting periods: everyone who reads them sees the list; the office closes a
period (publishing its figures) and reopens one with a reason."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.common.errors import TransitionNotAllowed
from config.web.access import AuthenticatedHttpRequest, page
from tracker.models import Period
from tracker.permissions import user_is_office, user_reads_periods
from tracker.selectors.periods import period_list
from tracker.selectors.tasks import local_today
from tracker.services.periods import period_close, period_reopen
from tracker.web.office.forms import PeriodCloseForm, PeriodReopenForm


def _reopen_prefix(period: Period) -> str:
    return f"reopen-{period.pk}"


def _render(
    request: HttpRequest,
    *,
    close_form: PeriodCloseForm | None = None,
    reopen: tuple[int, PeriodReopenForm] | None = None,
    conflict: str = "",
    status: int = 200,
) -> TemplateResponse:
    writes = user_is_office(request.user)
    dashboard = reverse("dashboard")
    rows: list[dict[str, Any]] = []
    for period in period_list():
        row: dict[str, Any] = {
            "period": period,
            "dashboard": f"{dashboard}?from={period.from_date.isoformat()}"
            f"&to={period.to_date.isoformat()}&as_of={period.as_of.isoformat()}",
        }
        if writes and period.is_closed:
            if reopen is not None and reopen[0] == period.pk:
                row["reopen_form"], row["reopen_open"] = reopen[1], True
            else:
                row["reopen_form"] = PeriodReopenForm(prefix=_reopen_prefix(period))
        rows.append(row)
    if writes and close_form is None:
        close_form = PeriodCloseForm(initial={"as_of": local_today()})
    context = {
        "rows": rows,
        "writes": writes,
        "close_form": close_form,
        "conflict": conflict,
    }
    return TemplateResponse(request, "tracker/office/periods.html", context, status=status)


def _dates(period: Period) -> dict[str, str]:
    return {
        "from": formats.date_format(period.from_date, "d/m/Y"),
        "to": formats.date_format(period.to_date, "d/m/Y"),
    }


@page(user_reads_periods)
def periods(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _render(request)


@require_POST
@page(user_is_office)
def period_close_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The same service as POST /api/v1/periods/ (its rules: to not before from, as-of
    between from and today, one closed period per dates); as-of defaults to today."""
    form = PeriodCloseForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            period = period_close(
                actor=request.user,
                date_from=data["from"],
                date_to=data["to"],
                as_of=data["as_of"] or local_today(),
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                _("The period from %(from)s to %(to)s is closed and its figures published.")
                % _dates(period),
            )
            return redirect("periods")
    return _render(request, close_form=form, status=400)


@require_POST
@page(user_is_office)
def period_reopen_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(Period, pk=pk)
    form = PeriodReopenForm(request.POST, prefix=_reopen_prefix(period))
    if form.is_valid():
        try:
            period = period_reopen(
                actor=request.user, period=period, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except TransitionNotAllowed as exc:
            conflict = _(
                "%(reason)s Someone reopened it while you were reading: the list below is "
                "as it is now."
            ) % {"reason": exc}
            return _render(request, conflict=conflict, status=409)
        else:
            messages.success(
                request, _("The period from %(from)s to %(to)s was reopened.") % _dates(period)
            )
            return redirect("periods")
    return _render(request, reopen=(period.pk, form), status=400)
