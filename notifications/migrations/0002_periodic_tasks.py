"""The periodic tasks Celery beat runs (django-celery-beat's DatabaseScheduler reads them
from the database; the office may change their schedules in the admin)."""

from django.db import migrations

EVERY = [
    # name, task, every (seconds)
    ("Quét nhắc việc (reminder sweep)", "tracker.tasks.sweep_reminders", 300),
    ("Gửi thông báo đến hạn (dispatch due notifications)",
     "notifications.tasks.dispatch_due_notifications", 60),
]
DIGEST = ("Bản tin buổi sáng (morning digest)", "notifications.tasks.send_morning_digest")


def install(apps, schema_editor):  # noqa: ANN001, ANN201
    interval_model = apps.get_model("django_celery_beat", "IntervalSchedule")
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, seconds in EVERY:
        interval, _ = interval_model.objects.get_or_create(every=seconds, period="seconds")
        task_model.objects.update_or_create(
            name=name, defaults={"task": task, "interval": interval, "enabled": True}
        )
    morning, _ = crontab_model.objects.get_or_create(
        minute="30",
        hour="7",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Ho_Chi_Minh",
    )
    name, task = DIGEST
    task_model.objects.update_or_create(
        name=name, defaults={"task": task, "crontab": morning, "enabled": True}
    )


def remove(apps, schema_editor):  # noqa: ANN001, ANN201
    names = [name for name, _task, _seconds in EVERY] + [DIGEST[0]]
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=names).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, remove)]
