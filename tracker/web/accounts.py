"""Signing in and out, changing one's password and language, and `/`, which takes each role
to its start page."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from config.web.access import AuthenticatedHttpRequest, back_to, page
from tracker.models import Role, User
from tracker.services.users import user_update
from tracker.web.lockout import LOCKED_OUT, LockoutMessageMixin


def start_page(user: User) -> str:
    """Where `/` takes a signed-in user: the office to what awaits its review, departments
    to their tasks, leaders and the Department of Home Affairs to the indicators."""
    if user.is_office:
        return reverse("review")
    if user.role in (Role.LEADER, Role.SCORING):
        return reverse("dashboard")
    return reverse("tasks")


@page()
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    return redirect(start_page(request.user))


class SignInForm(LockoutMessageMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The username or the password is wrong. Both are case-sensitive; check that "
            "Caps Lock is off."
        ),
        "inactive": _(
            "This account is inactive. Ask the provincial office (Văn phòng UBND tỉnh) to "
            "activate it."
        ),
    }

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except forms.ValidationError as error:
            if error.code == LOCKED_OUT:
                raise
            # Django's backend refuses inactive accounts as if the password were wrong; say
            # what is the matter, but only to whoever knows the password.
            user = User.objects.filter(username=self.cleaned_data.get("username")).first()
            password = self.cleaned_data.get("password") or ""
            if user is not None and not user.is_active and user.check_password(password):
                raise forms.ValidationError(
                    self.error_messages["inactive"], code="inactive"
                ) from None
            raise


class SignInView(auth_views.LoginView):
    template_name = "tracker/signin.html"
    form_class = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


class PasswordForm(PasswordChangeForm):
    """Django's checks (old password, the validators); the change goes through the service."""

    def save(self, commit: bool = True) -> User:
        password = self.cleaned_data["new_password1"]
        return user_update(actor=self.user, user=self.user, data={"password": password})


class PasswordView(auth_views.PasswordChangeView):
    template_name = "tracker/password_change.html"
    form_class = PasswordForm
    success_url = reverse_lazy("home")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        form.save()
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, _("Your password was changed."))
        return HttpResponseRedirect(self.get_success_url())


LANGUAGES = {code for code, _name in settings.LANGUAGES}


@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """The vi/en switch: saved as the user's `language` (their messages follow it too), and
    in a cookie for the sign-in page."""
    chosen = request.POST.get("language", "")
    response = redirect(back_to(request, reverse("home")))
    if chosen in LANGUAGES:
        if request.user.is_authenticated:
            user_update(actor=request.user, user=request.user, data={"language": chosen})
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            chosen,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response
