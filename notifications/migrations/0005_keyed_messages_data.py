"""Messages keyed by their sender (step 2 of 3): each existing row gets the key its sender
builds today, so a sweep or a digest after the upgrade finds its rows and records nothing
twice. The formats are tracker's (`tracker.services.reminder_messages.reminder_key`,
`tracker.services.digest.digest_key`), written out here as they were when this migration
was made (a migration never changes with the code); tests/notifications/test_notification_keys.py
checks that both still agree. One UPDATE per kind, in SQL (a province has many rows)."""

from django.db import migrations
from django.db.models import CharField, F, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat, ExtractDay, ExtractMonth, ExtractYear, LPad


def _text(expression: object) -> Cast:
    return Cast(expression, CharField())


def _iso_date(field: str) -> Concat:
    """YYYY-MM-DD, as date.isoformat() writes it, on every database."""
    return Concat(
        LPad(_text(ExtractYear(field)), 4, Value("0")),
        Value("-"),
        LPad(_text(ExtractMonth(field)), 2, Value("0")),
        Value("-"),
        LPad(_text(ExtractDay(field)), 2, Value("0")),
        output_field=CharField(),
    )


def fill(apps, schema_editor):  # noqa: ANN001, ANN201
    notification = apps.get_model("notifications", "Notification")
    step = apps.get_model("tracker", "ReminderStep")
    notification.objects.filter(kind="digest").update(
        key=Concat(Value("digest/"), _iso_date("digest_on"), output_field=CharField()),
        code=Value("digest"),
    )
    notification.objects.exclude(kind="digest").update(
        # task/<task>/step/<step>/<deadline>/<occurrence>: one row per task × step ×
        # deadline × recipient × channel × repetition, as the old unique constraint said.
        key=Concat(
            Value("task/"),
            _text("task_id"),
            Value("/step/"),
            _text("step_id"),
            Value("/"),
            _iso_date("deadline"),
            Value("/"),
            _text("occurrence"),
            output_field=CharField(),
        ),
        code=Subquery(step.objects.filter(pk=OuterRef("step_id")).values("code")[:1]),
        about=Value("task"),
        about_id=F("task_id"),
        # The task's web page (tracker's URL named "task"), which the inbox opens.
        link=Concat(Value("/tasks/"), _text("task_id"), Value("/"), output_field=CharField()),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0004_keyed_messages"),
        ("tracker", "0005_default_reminder_policy"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
