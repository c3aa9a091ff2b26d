from django.urls import path

from tracker.web.placeholder import placeholder

urlpatterns = [
    path("dashboard/", placeholder, name="dashboard"),
]
