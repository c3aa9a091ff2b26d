from django.urls import path

from tracker.web.dashboard.views import dashboard

urlpatterns = [
    path("dashboard/", dashboard, name="dashboard"),
]
