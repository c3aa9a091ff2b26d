"""Middleware of the web pages (everything outside /api/ and /admin/)."""

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import translation

API_PREFIX = "/api/"


def is_web_page(request: HttpRequest) -> bool:
    return not request.path.startswith(API_PREFIX)


class UserLanguageMiddleware:
    """Web pages speak the signed-in user's language (their `language`, which the vi/en
    switch saves). Before sign-in: the language cookie the switch sets, else Vietnamese,
    whatever the browser asks for. The API keeps `Accept-Language` (LocaleMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_web_page(request):
            language = self._language(request)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)

    @staticmethod
    def _language(request: HttpRequest) -> str:
        offered = {code for code, _name in settings.LANGUAGES}
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language in offered:
            return user.language
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        return cookie if cookie in offered else settings.LANGUAGE_CODE


class WebErrorPagesMiddleware:
    """A task or directive outside the caller's scope is the 404 page, in the layout, even
    with DEBUG on (Django would show its debug page, which an official must never see)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Http404) and is_web_page(request):
            response = TemplateResponse(request, "404.html", status=404)
            return response.render()
        return None
