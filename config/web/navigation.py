"""The web pages' navigation: one list, each entry shown to the roles whose work it is."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tracker.permissions import (
    user_is_office,
    user_is_office_or_leader,
    user_reads_periods,
    user_reads_tasks,
)


@dataclass(frozen=True)
class Entry:
    url_name: str
    label: str | Promise
    shown: Callable[[Any], bool]
    # A department member's label, where their view of the page is their department's.
    department_label: str | Promise | None = None


NAVIGATION = (
    Entry("review", _("To review"), user_is_office_or_leader),
    Entry("tasks", _("Tasks"), user_reads_tasks, _("My tasks")),
    Entry("directives", _("Directives"), user_reads_tasks),
    Entry("overdue", _("Overdue"), user_is_office_or_leader),
    Entry("dashboard", _("Indicators"), user_reads_tasks),
    Entry("calendar", _("Calendar"), user_is_office),
    Entry("import", _("Import"), user_is_office),
    Entry("periods", _("Periods"), user_reads_periods),
    Entry("failed-deliveries", _("Failed deliveries"), user_is_office),
)


@dataclass(frozen=True)
class Link:
    url: str
    label: str | Promise
    current: bool


def navigation_for(user: Any, path: str) -> list[Link]:
    links = []
    for entry in NAVIGATION:
        if not entry.shown(user):
            continue
        url = reverse(entry.url_name)
        label = entry.label
        if entry.department_label is not None and user.is_department_member:
            label = entry.department_label
        links.append(Link(url, label, current=path.startswith(url)))
    return links
