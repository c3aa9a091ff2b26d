"""A task's effective deadline is never before its original one (extensions only move it
later; the office's edits move both), and the few tasks whose deadline moved are indexed:
the indicators look up extensions for those only.

SQLite rebuilds the task table to add a CHECK constraint, which drops the triggers of
migration 0002 that name it: they are dropped before and created again after."""

from django.db import migrations, models

from tracker.migrations import _sqlite_task_triggers as task_triggers


class Migration(migrations.Migration):
    dependencies = [
        ("directives", "0002_initial"),
        ("tracker", "0008_example_scoring_rules"),
    ]

    operations = [
        migrations.RunPython(task_triggers.drop, task_triggers.create),
        migrations.AddIndex(
            model_name="task",
            index=models.Index(
                condition=models.Q(("effective_deadline__gt", models.F("original_deadline"))),
                fields=["assigned_on"],
                name="task_moved_deadline_idx",
            ),
        ),
        migrations.AddConstraint(
            model_name="task",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("original_deadline__isnull", True),
                    ("effective_deadline__gte", models.F("original_deadline")),
                    _connector="OR",
                ),
                name="task_effective_deadline_not_before_original",
            ),
        ),
        migrations.RunPython(task_triggers.create, task_triggers.drop),
    ]
