"""The morning digest's Celery task moved from notifications to tracker (it chooses
tracker's tasks; notifications only records messages): beat's periodic task, installed by
notifications migration 0002, now names `tracker.tasks.send_morning_digest`."""

from django.db import migrations

OLD = "notifications.tasks.send_morning_digest"
NEW = "tracker.tasks.send_morning_digest"


def rename(apps, schema_editor, old: str = OLD, new: str = NEW):  # noqa: ANN001, ANN201
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=old).update(task=new)


def rename_back(apps, schema_editor):  # noqa: ANN001, ANN201
    rename(apps, schema_editor, old=NEW, new=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0011_department_code_unique_ignoring_case"),
        ("notifications", "0002_periodic_tasks"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(rename, rename_back)]
