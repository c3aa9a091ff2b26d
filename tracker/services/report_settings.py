from typing import Any

from tracker.models import REPORT_SETTINGS_PK, ReportSettings


def report_settings_update(**fields: Any) -> ReportSettings:
    """The office's report settings, created or changed (the admin's form has checked each
    field against the model)."""
    current, _created = ReportSettings.objects.update_or_create(
        pk=REPORT_SETTINGS_PK, defaults=fields
    )
    return current
