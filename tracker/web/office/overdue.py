"""The overdue board: which departments lead overdue tasks, how many and how late."""

from urllib.parse import urlencode

from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse

from config.web.access import AuthenticatedHttpRequest, page
from tracker.permissions import user_is_office_or_leader
from tracker.selectors.overdue import overdue_by_department
from tracker.selectors.tasks import local_today


@page(user_is_office_or_leader)
def overdue(request: AuthenticatedHttpRequest) -> HttpResponse:
    board = overdue_by_department(local_today())
    tasks = reverse("tasks")
    rows = [
        (row, f"{tasks}?{urlencode({'lead_department': row.code, 'overdue': 'true'})}")
        for row in board.rows
    ]
    context = {"board": board, "rows": rows, "all_overdue": f"{tasks}?overdue=true"}
    return TemplateResponse(request, "tracker/office/overdue.html", context)
