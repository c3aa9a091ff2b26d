from django.urls import path

from tracker.web.placeholder import placeholder

urlpatterns = [
    path("review/", placeholder, name="review"),
    path("overdue/", placeholder, name="overdue"),
    path("calendar/", placeholder, name="calendar"),
    path("periods/", placeholder, name="periods"),
]
