from django.urls import path

from tracker.web import accounts
from tracker.web.placeholder import placeholder

urlpatterns = [
    path("", accounts.home, name="home"),
    path("signin/", accounts.SignInView.as_view(), name="signin"),
    path("signout/", accounts.SignOutView.as_view(), name="signout"),
    path("account/password/", accounts.PasswordView.as_view(), name="password-change"),
    path("account/language/", accounts.language, name="language"),
    path("tasks/", placeholder, name="tasks"),
    path("tasks/<int:pk>/", placeholder, name="task"),
    path("review/", placeholder, name="review"),
    path("overdue/", placeholder, name="overdue"),
    path("dashboard/", placeholder, name="dashboard"),
    path("calendar/", placeholder, name="calendar"),
    path("periods/", placeholder, name="periods"),
]
