from django.urls import path
from rest_framework.routers import SimpleRouter

from directives.api.imports import TaskImportView
from directives.api.views import DirectiveViewSet

router = SimpleRouter()
router.register("directives", DirectiveViewSet, basename="directive")

urlpatterns = [
    path("tasks/import/", TaskImportView.as_view(), name="task-import"),
    *router.urls,
]
