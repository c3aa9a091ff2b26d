from rest_framework.routers import SimpleRouter

from tracker.api.views import DepartmentViewSet, TaskViewSet, UserViewSet

router = SimpleRouter()
router.register("users", UserViewSet, basename="user")
router.register("departments", DepartmentViewSet, basename="department")
router.register("tasks", TaskViewSet, basename="task")

urlpatterns = router.urls
