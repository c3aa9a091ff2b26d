from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

api_v1: list[URLPattern | URLResolver] = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Its script served as a file, not inline: the Content-Security-Policy allows no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="docs"),
    # Before the tracker's: its `tasks/{pk}/` route would take `tasks/import/` for a task.
    path("", include("directives.api.urls")),
    path("", include("tracker.api.urls")),  # with auth/token/, auth/logout/, auth/logoutall/
    path("", include("notifications.api.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    # The web pages: each app's beside its api/, the shared layout in config/templates.
    path("", include("tracker.web.urls")),
    path("", include("directives.web.urls")),
    path("", include("notifications.web.urls")),
]

# Errors raised outside the API views (no route matched, a crash) answer JSON under /api/.
handler400 = "config.api.errors.bad_request"
handler404 = "config.api.errors.not_found"
handler500 = "config.api.errors.server_error"
