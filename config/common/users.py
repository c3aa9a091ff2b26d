"""The account type every app may name without importing the app that defines it
(settings.AUTH_USER_MODEL), and the signed-in account of a request."""

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request

if TYPE_CHECKING:
    # django-stubs' placeholder for settings.AUTH_USER_MODEL: its mypy plugin reads the
    # settings and checks it as the configured model, so no app is imported for the name.
    from django.contrib.auth.models import _User as AuthUser
else:
    from django.contrib.auth.base_user import AbstractBaseUser as AuthUser

__all__ = ["AuthUser", "signed_in_user"]


def signed_in_user(request: Request | HttpRequest) -> AuthUser:
    """The request's account, in a view that admits accounts only: an API view whose
    permission classes require one (the default, IsAuthenticated), or an admin page (the
    admin site signs in first). Anonymous there would mean a view let everyone in: the
    API's usual 401 (a 403 elsewhere) rather than a crash further on."""
    user = request.user
    if isinstance(user, AnonymousUser):
        raise NotAuthenticated if isinstance(request, Request) else PermissionDenied
    return user
