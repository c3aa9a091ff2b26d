"""Loads the official calendar the product ships (tracker/data/calendar/vn-*.yaml: 2025 and
2026 when written) through the one loader `manage.py load_official_calendar` uses. A later
year's file is loaded by that command, or by a migration like this one when shipped."""

from django.db import migrations


def install(apps, schema_editor):  # noqa: ANN001, ANN201
    from tracker.services.official_calendar import (
        official_calendar_read,
        official_calendar_write,
        shipped_calendar_files,
    )

    notice_model = apps.get_model("tracker", "OfficialNotice")
    day_model = apps.get_model("tracker", "OfficialCalendarDay")
    for path in shipped_calendar_files():
        official_calendar_write(
            official_calendar_read(path), notice_model=notice_model, day_model=day_model
        )


def remove(apps, schema_editor):  # noqa: ANN001, ANN201
    apps.get_model("tracker", "OfficialCalendarDay").objects.all().delete()
    apps.get_model("tracker", "OfficialNotice").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("tracker", "0017_official_calendar")]

    operations = [migrations.RunPython(install, remove)]
