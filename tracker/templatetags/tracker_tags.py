"""A task's state and deadline overlay as words with their style: one place for every page
(the list, the task page, the directive page, the review queue)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from tracker.selectors.tasks import DUE_SOON, NO_DEADLINE, OVERDUE

register = template.Library()

OVERLAY_WORDS = {
    OVERDUE: ("tag tag--overdue", lambda: _("Overdue")),
    DUE_SOON: ("tag tag--due-soon", lambda: _("Due soon")),
    NO_DEADLINE: ("tag tag--no-deadline", lambda: _("No deadline")),
}


@register.simple_tag
def overlay(code: str | None) -> SafeString | str:
    """`{% overlay row.overlay %}`: "Quá hạn", "Sắp đến hạn", "Không thời hạn" or nothing."""
    if code not in OVERLAY_WORDS:
        return ""
    css, words = OVERLAY_WORDS[code]
    return format_html('<span class="{}">{}</span>', css, words())


@register.simple_tag
def state(code: str, label: str) -> SafeString:
    """`{% state task.status task.get_status_display %}`: the label, never the code."""
    return format_html('<span class="state state--{}">{}</span>', code, label)
