"""The admin's user and group pages under the account rule of `user_change_refusal` (the one
the API and the web pages call): a superuser's account is read-only to everyone else (its
page says why; saving it, its password form and deleting it answer 403 with the reason),
the privilege fields are editable by superusers only, and so are groups, whose permissions
their members receive."""

from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from config.common.users import signed_in_user
from tracker.models import User
from tracker.services.users import (
    PRIVILEGE_FIELDS,
    group_change_refusal,
    user_change_check,
    user_change_refusal,
)

if TYPE_CHECKING:
    # What the mixins below are mixed into, told to the type checker only: at run time they
    # stay plain classes, and each admin's bases are its own.
    AdminMixinBase = admin.ModelAdmin[Any]
else:
    AdminMixinBase = object


class UserRightsMixin(AdminMixinBase):
    def _refusal(
        self, request: HttpRequest, user: User | None, fields: tuple[str, ...] = ()
    ) -> str | None:
        if user is None:
            return None
        return user_change_refusal(actor=signed_in_user(request), user=user, fields=fields)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._refusal(request, obj) is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting selected users asks this of each one.
        return self._refusal(request, obj) is None and super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        fields = tuple(super().get_readonly_fields(request, obj))
        if not signed_in_user(request).is_superuser:
            fields += PRIVILEGE_FIELDS
        return fields

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        refusal = self._refusal(request, self.get_object(request, unquote(object_id)))
        if refusal is not None:
            if request.method == "POST":
                raise PermissionDenied(refusal)
            if self.has_view_permission(request):
                messages.warning(request, refusal)  # above the read-only form
        return super().change_view(request, object_id, form_url, extra_context)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        user = self.get_object(request, unquote(id))
        refusal = self._refusal(request, user, fields=("password",))
        if refusal is not None:
            raise PermissionDenied(refusal)
        # DjangoUserAdmin's own view: the stubs do not know the mixin's partner.
        return super().user_change_password(request, id, form_url)  # type: ignore[misc]

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        # The pages above already hold the rule; this holds it for any form still posted.
        user_change_check(actor=signed_in_user(request), user=obj, fields=form.changed_data)
        super().save_model(request, obj, form, change)


class GroupRightsMixin(AdminMixinBase):
    def _allowed(self, request: HttpRequest) -> bool:
        return group_change_refusal(actor=signed_in_user(request)) is None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request) and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request) and super().has_delete_permission(request, obj)
