"""The admin's sign-in security pages: the office's token lifetime (one row), the sign-in log
(read only) and the API tokens (read and revoke). The admin's sign-in form shares the web
page's word for a lockout."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from tracker.models import ApiToken, SecuritySettings, SignInEvent
from tracker.services.tokens import security_settings_update
from tracker.web.lockout import LockoutMessageMixin

__all__ = ["LockoutMessageMixin"]


@admin.register(SecuritySettings)
class SecuritySettingsAdmin(admin.ModelAdmin):
    """One row: the list opens it directly; it can be added only if missing, never deleted."""

    fields = ("token_lifetime_days",)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        current = self.get_queryset(request).first()
        if current is not None and self.has_view_or_change_permission(request, current):
            return HttpResponseRedirect(
                reverse("admin:tracker_securitysettings_change", args=[current.pk])
            )
        return super().changelist_view(request, extra_context)

    def save_model(
        self,
        request: HttpRequest,
        obj: SecuritySettings,
        form: "forms.ModelForm[SecuritySettings]",
        change: bool,
    ) -> None:
        saved = security_settings_update(token_lifetime_days=obj.token_lifetime_days)
        obj.pk = saved.pk

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not SecuritySettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _local(moment: Any) -> str:
    return formats.localize(timezone.localtime(moment)) if moment else ""


@admin.register(SignInEvent)
class SignInEventAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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
