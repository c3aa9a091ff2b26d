"""A directive's number, title and summary folded for search without diacritics
(config/common/search.py), under a trigram index on PostgreSQL."""

from django.db import migrations, models

import config.common.search
from tracker.migrations._search import on_postgresql, trigram_indexes_sql

INDEXES = [("directive_search_text_idx", "directives_directive", "search_text")]


class Migration(migrations.Migration):
    dependencies = [
        ("directives", "0002_initial"),
        ("tracker", "0014_search"),  # the fold function
    ]

    operations = [
        migrations.AddField(
            model_name="directive",
            name="search_text",
            field=models.GeneratedField(
                db_persist=True,
                expression=config.common.search.Folded("number", "title", "summary"),
                output_field=models.TextField(),
            ),
        ),
        migrations.RunPython(
            on_postgresql(*trigram_indexes_sql(INDEXES)),
            on_postgresql(*trigram_indexes_sql(INDEXES, drop=True)),
        ),
    ]
