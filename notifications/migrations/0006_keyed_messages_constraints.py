"""Messages keyed by their sender (step 3 of 3): the columns that named tasks and steps go;
one unique constraint on (key, recipient, channel) keeps each message once."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0005_keyed_messages_data"),
    ]

    operations = [
        migrations.RemoveField(model_name="notification", name="task"),
        migrations.RemoveField(model_name="notification", name="step"),
        migrations.RemoveField(model_name="notification", name="deadline"),
        migrations.RemoveField(model_name="notification", name="occurrence"),
        migrations.RemoveField(model_name="notification", name="digest_on"),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.UniqueConstraint(
                fields=("key", "recipient", "channel"), name="notification_once_per_key"
            ),
        ),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.CheckConstraint(
                condition=models.Q(("key", ""), _negated=True), name="notification_keyed"
            ),
        ),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("about", ""), ("about_id__isnull", True)),
                    models.Q(models.Q(("about", ""), _negated=True), ("about_id__isnull", False)),
                    _connector="OR",
                ),
                name="notification_about_whole",
            ),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(fields=["about", "about_id"], name="notification_about_idx"),
        ),
    ]
