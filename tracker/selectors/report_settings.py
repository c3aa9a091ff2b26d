from tracker.models import REPORT_SETTINGS_PK, ReportSettings
from tracker.selectors.rates import RateDisplay


def report_settings_get() -> ReportSettings:
    """The office's settings, or the defaults before it has saved any."""
    return ReportSettings.objects.filter(pk=REPORT_SETTINGS_PK).first() or ReportSettings()


def rate_display_get() -> RateDisplay:
    return RateDisplay.of(report_settings_get())
