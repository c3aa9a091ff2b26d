"""Messages keyed by their sender (step 1 of 3): the de-duplication key, the template code,
the opaque reference to the message's subject and its link are added; the constraints that
named the old columns go. 0005 fills the new columns, 0006 drops the old ones and adds the
unique key (key, recipient, channel). Three migrations, three transactions: PostgreSQL
refuses to alter a table with pending trigger events of an update in the same one."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_message_settings"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="notification", name="notification_once_per_step"),
        migrations.RemoveConstraint(
            model_name="notification", name="notification_one_digest_a_day"
        ),
        migrations.RemoveConstraint(model_name="notification", name="notification_keyed_by_kind"),
        migrations.AddField(
            model_name="notification",
            name="key",
            field=models.CharField(
                default="",
                help_text="Built by the sender: one message per key, recipient and channel.",
                max_length=200,
                verbose_name="de-duplication key",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="notification",
            name="code",
            field=models.CharField(default="", max_length=40, verbose_name="template"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="notification",
            name="about",
            field=models.CharField(blank=True, max_length=32, verbose_name="about"),
        ),
        migrations.AddField(
            model_name="notification",
            name="about_id",
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name="about (id)"),
        ),
        migrations.AddField(
            model_name="notification",
            name="link",
            field=models.CharField(blank=True, max_length=200, verbose_name="link"),
        ),
    ]
