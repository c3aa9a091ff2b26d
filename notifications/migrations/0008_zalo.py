"""Zalo (ZNS), a fourth channel: the channel allowed on notifications, the office's ZNS
templates and the Official Account's tokens."""
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0007_webhooks'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ZaloTemplate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(help_text="The reminder step's code, e.g. early_reminder or escalation_1.", max_length=40, verbose_name='message code')),
                ('language', models.CharField(choices=[('vi', 'Vietnamese'), ('en', 'English')], max_length=8, verbose_name='language')),
                ('template_id', models.CharField(help_text='The id Zalo gave the approved template (ZNS management).', max_length=32, verbose_name='ZNS template id')),
            ],
            options={
                'verbose_name': 'Zalo template',
                'verbose_name_plural': 'Zalo templates',
                'ordering': ['code', 'language'],
            },
        ),
        migrations.CreateModel(
            name='ZaloToken',
            fields=[
                ('id', models.PositiveSmallIntegerField(default=1, editable=False, primary_key=True, serialize=False)),
                ('access_token', models.TextField(blank=True, verbose_name='access token')),
                ('refresh_token', models.TextField(blank=True, verbose_name='refresh token')),
                ('expires_at', models.DateTimeField(blank=True, null=True, verbose_name='access token expires at')),
                ('refreshed_at', models.DateTimeField(blank=True, null=True, verbose_name='refreshed at')),
            ],
            options={
                'verbose_name': 'Zalo token',
                'verbose_name_plural': 'Zalo tokens',
            },
        ),
        migrations.RemoveConstraint(
            model_name='notification',
            name='notification_channel_valid',
        ),
        migrations.AlterField(
            model_name='notification',
            name='channel',
            field=models.CharField(choices=[('inbox', 'In-app inbox'), ('email', 'E-mail'), ('sms', 'SMS'), ('zalo', 'Zalo')], max_length=8, verbose_name='channel'),
        ),
        migrations.AddConstraint(
            model_name='notification',
            constraint=models.CheckConstraint(condition=models.Q(('channel__in', ['inbox', 'email', 'sms', 'zalo'])), name='notification_channel_valid'),
        ),
        migrations.AddConstraint(
            model_name='zalotemplate',
            constraint=models.UniqueConstraint(fields=('code', 'language'), name='zalo_template_once'),
        ),
        migrations.AddConstraint(
            model_name='zalotemplate',
            constraint=models.CheckConstraint(condition=models.Q(('template_id', ''), _negated=True), name='zalo_template_id_given'),
        ),
        migrations.AddConstraint(
            model_name='zalotoken',
            constraint=models.CheckConstraint(condition=models.Q(('id', 1)), name='zalo_token_single_row'),
        ),
    ]
