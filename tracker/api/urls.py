from rest_framework.routers import SimpleRouter

from tracker.api.lifecycle import AttachmentViewSet, ExtensionRequestViewSet
from tracker.api.views import DepartmentViewSet, TaskViewSet, UserViewSet

router = SimpleRouter()
router.register("users", UserViewSet, basename="user")
router.register("departments", DepartmentViewSet, basename="department")
router.register("tasks", TaskViewSet, basename="task")
router.register("extension-requests", ExtensionRequestViewSet, basename="extension-request")
router.register("attachments", AttachmentViewSet, basename="attachment")

urlpatterns = router.urls
