"""Django admin for the Zalo channel: the office enters the id of each approved ZNS template
(per message code and language) and, once, the Official Account's refresh token. Tokens are
never shown: the page says only whether there is one and until when it serves."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from config.common.admin import SingletonSettingsAdmin
from notifications.models import ZaloTemplate, ZaloToken
from notifications.services.zalo import zalo_refresh_token_set


@admin.register(ZaloTemplate)
class ZaloTemplateAdmin(admin.ModelAdmin):
    list_display = ("code", "language", "template_id")
    list_filter = ("language",)
    search_fields = ("code", "template_id")


class ZaloTokenForm(forms.ModelForm):
    refresh_token = forms.CharField(
        label=_("refresh token"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "From Zalo for Developers. Each refresh gives a new one, stored here; enter one "
            "again only if Zalo no longer accepts the stored one."
        ),
    )

    class Meta:
        model = ZaloToken
        fields = ("refresh_token",)


@admin.register(ZaloToken)
class ZaloTokenAdmin(SingletonSettingsAdmin):
    form = ZaloTokenForm
    fields = ("refresh_token", "has_access_token", "expires_at", "refreshed_at")
    readonly_fields = ("has_access_token", "expires_at", "refreshed_at")
    update = staticmethod(zalo_refresh_token_set)

    @admin.display(description=_("access token"), boolean=True)
    def has_access_token(self, token: ZaloToken) -> bool:
        return bool(token.access_token)
