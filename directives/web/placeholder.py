from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from config.web.access import page


@page()
def placeholder(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return TemplateResponse(request, "placeholder.html", {})
