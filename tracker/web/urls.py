"""The tracker's pages: accounts and `/`, the tasks (tasks/), the office's tools (office/),
the indicators dashboard (dashboard/)."""

from django.urls import include, path

from tracker.web import accounts

urlpatterns = [
    path("", accounts.home, name="home"),
    path("signin/", accounts.SignInView.as_view(), name="signin"),
    path("signout/", accounts.SignOutView.as_view(), name="signout"),
    path("account/password/", accounts.PasswordView.as_view(), name="password-change"),
    path("account/language/", accounts.language, name="language"),
    path("", include("tracker.web.tasks.urls")),
    path("", include("tracker.web.office.urls")),
    path("", include("tracker.web.dashboard.urls")),
]
