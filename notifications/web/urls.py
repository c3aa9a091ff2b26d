from django.urls import path

from notifications.web.placeholder import placeholder

urlpatterns = [
    path("inbox/", placeholder, name="inbox"),
    path("inbox/preferences/", placeholder, name="preferences"),
    path("deliveries/failed/", placeholder, name="failed-deliveries"),
]
