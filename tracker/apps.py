from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = _("Task tracking")

    def ready(self) -> None:
        from tracker import receivers  # noqa: F401  # connects them
