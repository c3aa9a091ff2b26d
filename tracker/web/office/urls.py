from django.urls import path

from tracker.web.office import calendar, overdue, periods, review

urlpatterns = [
    path("review/", review.review, name="review"),
    path("overdue/", overdue.overdue, name="overdue"),
    path("calendar/", calendar.calendar_page, name="calendar"),
    path("calendar/adjustments/", calendar.adjustment_add, name="calendar-adjustment-add"),
    path(
        "calendar/adjustments/<int:pk>/remove/",
        calendar.adjustment_remove,
        name="calendar-adjustment-remove",
    ),
    path("periods/", periods.periods, name="periods"),
    path("periods/close/", periods.period_close_view, name="period-close"),
    path("periods/<int:pk>/reopen/", periods.period_reopen_view, name="period-reopen"),
]
