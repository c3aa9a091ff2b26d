"""The office's follow-up of failed deliveries: the messages that ran out of attempts, by
channel and kind, each sent again on request through the same service as the API
(`POST /api/v1/notifications/{id}/retry/`). A message that is no longer failed (someone
sent it again meanwhile) is explained with a 409, as the API answers, never an error page.
Below them, the failed webhook deliveries (the newest WEBHOOKS_SHOWN), each sent again by
the webhooks' retry (`POST /api/v1/webhook-deliveries/{id}/retry/`)."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.common.permissions import user_is_office
from config.web.access import AuthenticatedHttpRequest, back_to, page
from notifications.models import Notification
from notifications.selectors import (
    failed_list,
    notification_list,
    webhook_delivery_list,
    webhook_failed_list,
)
from notifications.services.delivery import notification_retry, webhook_delivery_retry
from notifications.web.forms import FailedFilterForm
from notifications.web.pages import page_of

WEBHOOKS_SHOWN = 50


def _listing(request: HttpRequest) -> dict[str, Any]:
    form = FailedFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = failed_list(channel=filters.get("channel"), kind=filters.get("kind"))
    webhooks = webhook_failed_list()
    return {
        "form": form,
        "page_obj": page_of(request, rows),
        "filtered": bool(filters.get("channel") or filters.get("kind")),
        "webhooks": list(webhooks[:WEBHOOKS_SHOWN]),
        "webhook_count": webhooks.count(),
    }


@page(user_is_office)
@require_GET
def failed_deliveries(request: AuthenticatedHttpRequest) -> HttpResponse:
    return TemplateResponse(request, "notifications/failed_deliveries.html", _listing(request))


@page(user_is_office)
@require_POST
def retry(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(notification_list(), pk=pk)
    retried = notification_retry(notification)
    notification = notification_list().get(pk=pk)  # its status now
    status = 200 if retried else 409
    if request.htmx:
        context = {"n": notification, "retried": retried, "conflict": not retried}
        return TemplateResponse(request, "notifications/failed_row.html", context, status=status)
    if retried:
        messages.success(request, _sent_again(notification))
        return redirect(back_to(request, reverse("failed-deliveries")))
    context = {"n": notification, "back": back_to(request, reverse("failed-deliveries"))}
    return TemplateResponse(request, "notifications/failed_conflict.html", context, status=status)


def _sent_again(notification: Notification) -> str:
    return _("The message to %(name)s (%(channel)s) is being sent again.") % {
        "name": notification.recipient,
        "channel": notification.get_channel_display(),
    }


@page(user_is_office)
@require_POST
def retry_webhook(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(webhook_delivery_list(), pk=pk)
    names = {"endpoint": delivery.endpoint.name, "event": delivery.get_event_display()}
    if webhook_delivery_retry(delivery):
        messages.success(
            request, _("The webhook %(event)s to %(endpoint)s is being sent again.") % names
        )
    else:
        messages.warning(
            request,
            _(
                "The webhook %(event)s to %(endpoint)s is no longer failed: someone sent it "
                "again meanwhile. Nothing was changed."
            )
            % names,
        )
    return redirect(back_to(request, reverse("failed-deliveries")))
