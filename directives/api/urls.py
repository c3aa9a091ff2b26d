from django.urls import path
from rest_framework.routers import SimpleRouter

from directives.api.edxml import DirectiveEdxmlStatusView, DirectiveEdxmlView
from directives.api.files import DirectiveFileView
from directives.api.imports import TaskImportView
from directives.api.views import DirectiveViewSet

router = SimpleRouter()
router.register("directives", DirectiveViewSet, basename="directive")

urlpatterns = [
    path("tasks/import/", TaskImportView.as_view(), name="task-import"),
    # Before the router's: its `directives/{pk}/` route would take `edxml` for an id.
    path("directives/edxml/", DirectiveEdxmlView.as_view(), name="directive-edxml"),
    path(
        "directives/<int:pk>/edxml-status/",
        DirectiveEdxmlStatusView.as_view(),
        name="directive-edxml-status",
    ),
    path(
        "directives/<int:pk>/files/<int:file_id>/",
        DirectiveFileView.as_view(),
        name="directive-file-detail",
    ),
    *router.urls,
]
