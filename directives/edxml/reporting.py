"""Reporting a received directive's status back to its sender: the edXML status package
recorded as a `directive.status` delivery for every webhook endpoint the office registered
for it (the document exchange that carries packages to the sender), and sent by the
notifications' delivery with its retries. Once automatically, when the directive's tasks
are all completed; and whenever the office asks."""

from django.db import transaction
from django.utils.translation import gettext as _

from config.common import clock
from config.common.errors import TransitionNotAllowed
from directives.edxml.status import (
    directive_has_status_package,
    directive_stage,
    directive_status_due,
    directive_status_package,
)
from directives.models import Directive
from notifications.models import WebhookEvent
from notifications.selectors import webhook_subscribed
from notifications.services.webhooks import webhook_document_record

XML = "application/xml"


def _record(directive: Directive, key: str) -> int:
    return webhook_document_record(
        event=WebhookEvent.DIRECTIVE_STATUS,
        key=key,
        body=directive_status_package(directive),
        content_type=XML,
    )


@transaction.atomic
def directive_completion_report(directive_id: int) -> int:
    """After one of its tasks closed: the completed status, once, if the directive was
    received by edXML and its tasks are now all completed. The directive's row is locked
    first, so when its last two tasks close at once the second to commit sees the first
    and reports. Returns the deliveries recorded (0: not due, or already recorded)."""
    # Most directives were issued here: they are neither locked nor counted (the lock would
    # queue every completion of a large directive behind the others).
    directive = Directive.objects.filter(pk=directive_id).first()
    if directive is None or not directive_has_status_package(directive):
        return 0
    directive = Directive.objects.select_for_update().get(pk=directive_id)
    if not directive_status_due(directive):
        return 0
    _stage, completed, total = directive_stage(directive)
    # Tasks added later and completed again make a new report; the same state never twice.
    return _record(directive, f"directive.status/{directive.pk}/completed/{completed}-{total}")


@transaction.atomic
def directive_status_report(directive: Directive) -> int:
    """The office reports the directive's current status now (any stage). Refused when the
    directive has no sender to report to, or no endpoint receives status packages."""
    if not directive_has_status_package(directive):
        raise TransitionNotAllowed(
            _("This directive was not received by edXML: it has no status package.")
        )
    if not webhook_subscribed(WebhookEvent.DIRECTIVE_STATUS):
        raise TransitionNotAllowed(
            _(
                "No webhook endpoint receives directive status packages: register the "
                "document exchange's endpoint with the event “%(event)s” first."
            )
            % {"event": WebhookEvent.DIRECTIVE_STATUS.label}
        )
    return _record(directive, f"directive.status/{directive.pk}/asked/{clock.now().isoformat()}")
