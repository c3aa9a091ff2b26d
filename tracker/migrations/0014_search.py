"""Search without diacritics (config/common/search.py): the fold function, the folded title
and content of each task as stored generated columns under trigram indexes; the indexes
of a directive's tasks and of the open tasks' deadlines."""

import django.db.models.deletion
from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations, models

import config.common.search
from tracker.migrations import _sqlite_task_triggers as sqlite_triggers
from tracker.migrations._search import FOLD_FUNCTION, on_postgresql, trigram_indexes_sql

TRIGRAM_INDEXES = [
    ("task_search_title_idx", "tracker_task", "search_title"),
    ("task_search_content_idx", "tracker_task", "search_content"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("directives", "0002_initial"),
        ("tracker", "0013_sign_in_security"),
    ]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunPython(
            on_postgresql(FOLD_FUNCTION),
            on_postgresql("DROP FUNCTION IF EXISTS dondoc_fold(text)"),
        ),
        # SQLite rebuilds the task table to add the columns: its triggers go meanwhile.
        migrations.RunPython(sqlite_triggers.drop, sqlite_triggers.create),
        migrations.AddField(
            model_name="task",
            name="search_title",
            field=models.GeneratedField(
                db_persist=True,
                expression=config.common.search.Folded("title"),
                output_field=models.TextField(),
            ),
        ),
        migrations.AddField(
            model_name="task",
            name="search_content",
            field=models.GeneratedField(
                db_persist=True,
                expression=config.common.search.Folded("content"),
                output_field=models.TextField(),
            ),
        ),
        migrations.RunPython(
            on_postgresql(*trigram_indexes_sql(TRIGRAM_INDEXES)),
            on_postgresql(*trigram_indexes_sql(TRIGRAM_INDEXES, drop=True)),
        ),
        migrations.AlterField(
            model_name="task",
            name="directive",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="tasks",
                to="directives.directive",
                verbose_name="directive",
            ),
        ),
        migrations.AddIndex(
            model_name="task",
            index=models.Index(fields=["directive", "id"], name="task_directive_idx"),
        ),
        migrations.AddIndex(
            model_name="task",
            index=models.Index(
                condition=models.Q(
                    ("status__in", ("assigned", "in_progress", "awaiting_acceptance"))
                ),
                fields=["effective_deadline"],
                name="task_open_deadline_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="task",
            index=models.Index(
                condition=models.Q(
                    ("status__in", ("assigned", "in_progress", "awaiting_acceptance"))
                ),
                fields=["original_deadline", "assigned_on"],
                name="task_open_original_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="task",
            index=models.Index(
                fields=["status", "completed_on"], name="task_status_completed_idx"
            ),
        ),
        migrations.RunPython(sqlite_triggers.create, sqlite_triggers.drop),
    ]

