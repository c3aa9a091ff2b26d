"""The office's right, which every app checks: the user model says who has it (`is_office`:
the office's role, and every superuser), so no app needs to know the roles to ask."""

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView


def user_is_office(user: Any) -> bool:
    return bool(user and user.is_authenticated and getattr(user, "is_office", False))


def is_office(request: Request) -> bool:
    return user_is_office(request.user)


class IsOffice(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return is_office(request)
