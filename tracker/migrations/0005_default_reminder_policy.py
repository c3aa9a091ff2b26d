"""Installs the default reminder and escalation policy of DOMAIN.md; the office edits it in
the admin afterwards."""

from django.db import migrations

DEFAULT_STEPS = [
    # code, name, kind, offset, repeat every, audiences, channels
    ("early_reminder", "Nhắc việc sớm", "reminder", -5, None,
     ["lead_officers", "lead_head"], ["inbox", "email"]),
    ("last_reminder", "Nhắc việc lần cuối", "reminder", -1, None,
     ["lead_head"], ["inbox", "email", "sms"]),
    ("due_today", "Đến hạn hôm nay", "reminder", 0, None,
     ["lead_officers"], ["inbox", "email"]),
    ("escalation_1", "Báo cáo vượt cấp lần 1", "escalation", 1, None,
     ["lead_head", "follow_up_officer"], ["inbox", "email", "sms"]),
    ("escalation_2", "Báo cáo vượt cấp lần 2", "escalation", 5, None,
     ["supervising_leader", "follow_up_officer"], ["inbox", "email", "sms"]),
    ("escalation_3", "Báo cáo vượt cấp lần 3", "escalation", 10, None,
     ["office_director"], ["inbox", "email"]),
    ("repeat", "Đôn đốc lặp lại", "escalation", 15, 5,
     ["lead_head"], ["email"]),
]


def install(apps, schema_editor):  # noqa: ANN001, ANN201
    policy_model = apps.get_model("tracker", "ReminderPolicy")
    step_model = apps.get_model("tracker", "ReminderStep")
    policy = policy_model.objects.create(name="Chính sách nhắc việc mặc định", priority="")
    for code, name, kind, offset, repeat, audiences, channels in DEFAULT_STEPS:
        step_model.objects.create(
            policy=policy,
            code=code,
            name=name,
            kind=kind,
            offset_working_days=offset,
            repeat_every_working_days=repeat,
            audiences=audiences,
            channels=channels,
        )


def remove(apps, schema_editor):  # noqa: ANN001, ANN201
    apps.get_model("tracker", "ReminderPolicy").objects.filter(priority="").delete()


class Migration(migrations.Migration):
    dependencies = [("tracker", "0004_reminder_policy")]

    operations = [migrations.RunPython(install, remove)]
