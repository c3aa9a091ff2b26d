"""Every signed-in user's inbox: the in-app messages delivered to them, newest first, and
marking them read (one, or all at once) through the same services as the API. A message is
read when its reader says so; opening its subject (the message's link) does not mark it
(a link never changes data)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from config.web.access import AuthenticatedHttpRequest, back_to, page
from notifications.selectors import inbox_list, inbox_unread_count
from notifications.services.inbox import inbox_mark_all_read, inbox_mark_read
from notifications.web.pages import page_of

UNREAD = "unread"  # ?show=unread: the unread messages only


@page()
@require_GET
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == UNREAD
    messages_shown = inbox_list(request.user, unread_only=unread_only)
    page_obj = page_of(request, messages_shown)
    return TemplateResponse(
        request,
        "notifications/inbox.html",
        {
            "page_obj": page_obj,
            "unread_only": unread_only,
        },
    )


@page()
@require_POST
def mark_read(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """htmx: the message again, read, and the header's count (out of band). Without
    JavaScript: back to the inbox page it was on."""
    notification = inbox_mark_read(
        user=request.user, notification=get_object_or_404(inbox_list(request.user), pk=pk)
    )
    if request.htmx:
        return TemplateResponse(
            request,
            "notifications/inbox_read.html",
            {"n": notification, "unread_count": inbox_unread_count(request.user)},
        )
    messages.success(request, _("The message is marked as read."))
    return redirect(back_to(request, reverse("inbox")))


@page()
@require_POST
def mark_all_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    marked = inbox_mark_all_read(user=request.user)
    if marked:
        text = ngettext(
            "%(count)d message is marked as read.", "%(count)d messages are marked as read.", marked
        )
        messages.success(request, text % {"count": marked})
    else:
        messages.info(request, _("Every message was already read."))
    return redirect(back_to(request, reverse("inbox")))
