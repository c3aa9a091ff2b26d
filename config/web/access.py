"""Who may open a web page: signed in (else the sign-in page), then the page's own rule
(else the 403 page). Which objects a page shows is the selectors' decision, as in the API."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django_htmx.http import HttpResponseClientRedirect

View = Callable[..., HttpResponse]


def page(allowed: Callable[[Any], bool] | None = None) -> Callable[[View], View]:
    """A page for signed-in users; `allowed(user)` (tracker.permissions) narrows it down."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                signin = redirect_to_login(request.get_full_path())
                if getattr(request, "htmx", False):
                    # A fragment request whose session ended: the whole page goes to sign-in.
                    return HttpResponseClientRedirect(signin["Location"])
                return signin
            if allowed is not None and not allowed(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
