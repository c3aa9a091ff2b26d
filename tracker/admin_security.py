"""The admin's settings pages: the office's report settings and token lifetime (one row
each), the sign-in log (read only) and the API tokens (read and revoke). The admin's
sign-in form shares the web page's word for a lockout."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from config.common.admin import SingletonSettingsAdmin
from tracker.admin_scoring import ReadOnlyAdmin
from tracker.models import ApiToken, ReportSettings, SecuritySettings, SignInEvent
from tracker.services.report_settings import report_settings_update
from tracker.services.tokens import security_settings_update
from tracker.web.lockout import LockoutMessageMixin

__all__ = ["LockoutMessageMixin"]


@admin.register(SecuritySettings)
class SecuritySettingsAdmin(SingletonSettingsAdmin):
    fields = ("token_lifetime_days",)
    update = staticmethod(security_settings_update)


def _local(moment: Any) -> str:
    return formats.localize(timezone.localtime(moment)) if moment else ""


@admin.register(SignInEvent)
class SignInEventAdmin(ReadOnlyAdmin):
    """Append-only: staff with the view permission read it; nobody adds, changes or deletes."""

    list_display = ("at_local", "kind", "channel", "username", "user", "address", "reason")
    list_filter = ("kind", "channel", "at")
    search_fields = ("username", "address")
    list_select_related = ("user",)
    date_hierarchy = "at"
    fields = (
        *("at_local", "kind", "channel", "username", "user", "address", "user_agent"),
        "reason",
    )
    readonly_fields = fields

    @admin.display(description=_("at"), ordering="at")
    def at_local(self, event: SignInEvent) -> str:
        return _local(event.at)


admin.site.unregister(AuthToken)  # knox's names are English only: ApiToken is the same table


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Whose tokens exist and until when; deleting one revokes it. Only the first characters
    are shown: the token itself is not stored."""

    # knox's fields have English names only: each column is a display with its own.
    list_display = ("key_start", "owner", "created_at", "expires_at")
    search_fields = ("user__username", "user__full_name")
    list_select_related = ("user",)
    fields = list_display
    readonly_fields = fields

    @admin.display(description=_("first characters"), ordering="token_key")
    def key_start(self, token: ApiToken) -> str:
        return f"{token.token_key}…"

    @admin.display(description=_("user"), ordering="user__username")
    def owner(self, token: ApiToken) -> str:
        return str(token.user)

    @admin.display(description=_("created at"), ordering="created")
    def created_at(self, token: ApiToken) -> str:
        return _local(token.created)

    @admin.display(description=_("expires at"), ordering="expiry")
    def expires_at(self, token: ApiToken) -> str:
        return _local(token.expiry)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tokens are issued by signing in

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ReportSettings)
class ReportSettingsAdmin(SingletonSettingsAdmin):
    fieldsets = (
        (
            _("Heading"),
            {"fields": ("governing_body", "issuing_body", "document_symbol", "place")},
        ),
        (
            _("Foot"),
            {
                "fields": (
                    "recipients",
                    "preparer_title",
                    "preparer_name",
                    "signer_authority",
                    "signer_title",
                    "signer_name",
                )
            },
        ),
        (_("Rates"), {"fields": ("rate_rounding", "rate_decimals")}),
    )
    update = staticmethod(report_settings_update)
