"""Every signed-in user's notification preferences: their language and the channels they
want for each kind of message, saved by the same service as the API
(`PUT /api/v1/notifications/preferences/`), beside the contact details messages go to."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from config.web.access import AuthenticatedHttpRequest, page
from notifications.selectors import preferences_of
from notifications.services.preferences import preferences_update
from notifications.web.forms import PreferencesForm


@page()
@require_http_methods(["GET", "POST"])
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    stored = preferences_of(user)
    if request.method == "POST":
        form = PreferencesForm(request.POST, stored=stored)
        if form.is_valid():
            chosen = form.cleaned_data["preferences"]
            preferences_update(user=user, language=chosen["language"], channels=chosen["channels"])
            # The confirmation reads in the language just chosen, as the next page will.
            translation.activate(chosen["language"])
            messages.success(request, _("Your notification preferences are saved."))
            return redirect("preferences")
        status = 400
    else:
        form = PreferencesForm(initial={"language": user.language, **stored}, stored=stored)
        status = 200
    return TemplateResponse(
        request, "notifications/preferences.html", {"form": form}, status=status
    )
