from django.urls import path
from rest_framework.routers import SimpleRouter

from tracker.api.auth import LogoutAllView, LogoutView, SignInEventList, TokenView
from tracker.api.calendar import AddWorkingDaysView, CalendarAdjustmentViewSet
from tracker.api.indicators import IndicatorsView, LeadershipScoreView
from tracker.api.lifecycle import AttachmentViewSet, ExtensionRequestViewSet
from tracker.api.periods import PeriodViewSet
from tracker.api.rates import NamedRateViewSet
from tracker.api.scoring import ScoringRuleViewSet
from tracker.api.views import DepartmentViewSet, TaskViewSet, UserViewSet

router = SimpleRouter()
router.register("users", UserViewSet, basename="user")
router.register("departments", DepartmentViewSet, basename="department")
router.register("tasks", TaskViewSet, basename="task")
router.register("calendar/adjustments", CalendarAdjustmentViewSet, basename="calendar-adjustment")
router.register("extension-requests", ExtensionRequestViewSet, basename="extension-request")
router.register("attachments", AttachmentViewSet, basename="attachment")
router.register("scoring-rules", ScoringRuleViewSet, basename="scoring-rule")
router.register("named-rates", NamedRateViewSet, basename="named-rate")
router.register("periods", PeriodViewSet, basename="period")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    path("auth/logout/", LogoutView.as_view(), name="auth-logout"),
    path("auth/logoutall/", LogoutAllView.as_view(), name="auth-logoutall"),
    path("sign-in-events/", SignInEventList.as_view(), name="sign-in-events"),
    *router.urls,
    path(
        "calendar/add-working-days/",
        AddWorkingDaysView.as_view(),
        name="calendar-add-working-days",
    ),
    path("indicators/", IndicatorsView.as_view(), name="indicators"),
    path("leadership-score/", LeadershipScoreView.as_view(), name="leadership-score"),
]
