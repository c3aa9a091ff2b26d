"""Who may open a web page: signed in (else the sign-in page), then the page's own rule
(else the 403 page). Which objects a page shows is the selectors' decision, as in the API."""

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from config.common.users import AuthUser

P = ParamSpec("P")


class AuthenticatedHttpRequest(HttpRequest):
    """The request a `page` view receives: `page` has sent anyone not signed in to the
    sign-in page, so its user is an account (settings.AUTH_USER_MODEL), never anonymous.
    HtmxMiddleware gives every request its `htmx` details."""

    user: AuthUser
    htmx: HtmxDetails


# A page answers with a response of any kind: a template, a redirect, a file download.
PageView = Callable[Concatenate[AuthenticatedHttpRequest, P], HttpResponseBase]
View = Callable[Concatenate[HttpRequest, P], HttpResponseBase]


def page(
    allowed: Callable[[AuthUser], bool] | None = None,
) -> Callable[[PageView[P]], View[P]]:
    """A page for signed-in users; `allowed(user)` (tracker.permissions) narrows it down."""

    def decorator(view: PageView[P]) -> View[P]:
        @wraps(view)
        def wrapped(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
            if not request.user.is_authenticated:
                signin = redirect_to_login(request.get_full_path())
                if getattr(request, "htmx", False):
                    # A fragment request whose session ended: the whole page goes to sign-in.
                    return HttpResponseClientRedirect(signin["Location"])
                return signin
            # Another system's account (the user model's `is_integration`) has no page.
            if getattr(request.user, "is_integration", False):
                raise PermissionDenied
            if allowed is not None and not allowed(request.user):
                raise PermissionDenied
            # The one place the request is known signed in: the checks just above.
            return view(cast(AuthenticatedHttpRequest, request), *args, **kwargs)

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
