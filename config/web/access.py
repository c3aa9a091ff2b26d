"""Who may open a web page: signed in (else the sign-in page), then the page's own rule
(else the 403 page). Which objects a page shows is the selectors' decision, as in the API."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme
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


def back_to(request: HttpRequest, default: str) -> str:
    """Where a form returns once done: the page it came from (its `next`, a path of this
    site only, never another host), else `default`."""
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return default
