"""Beat's periodic task that records the webhooks' task.overdue events: daily at 00:15
local time, the day after a deadline (tracker/services/events.py)."""

from django.db import migrations

NAME = "Sự kiện quá hạn cho webhook (webhook overdue events)"
TASK = "tracker.tasks.record_overdue_events"


def install(apps, schema_editor):  # noqa: ANN001, ANN201
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    after_midnight, _ = crontab_model.objects.get_or_create(
        minute="15",
        hour="0",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Ho_Chi_Minh",
    )
    task_model.objects.update_or_create(
        name=NAME, defaults={"task": TASK, "crontab": after_midnight, "enabled": True}
    )


def remove(apps, schema_editor):  # noqa: ANN001, ANN201
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0018_official_calendar_2025_2026"),
        ("notifications", "0007_webhooks"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, remove)]
