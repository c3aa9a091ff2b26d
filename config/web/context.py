"""What the shared layout shows on every page: the navigation of the user's role and the
unread count of their inbox."""

from typing import Any

from django.http import HttpRequest

from config.web.middleware import API_PREFIX
from config.web.navigation import navigation_for
from notifications.selectors import inbox_unread_count

NOT_LAYOUT = (API_PREFIX, "/admin/")  # the admin has its own layout


def layout(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or request.path.startswith(NOT_LAYOUT):
        return {}
    return {
        "navigation": navigation_for(user, request.path),
        "unread_count": inbox_unread_count(user),
    }
