"""Installs DOMAIN.md's two example scoring rules for the year the migration runs in (local
time); the office edits them, or adds next year's version, afterwards. The second example
does not say which rate it scores nor what happens without a judged task: it is installed
on the completion rate, not applicable without a judged task (README.md)."""

from django.db import migrations
from django.utils import timezone

EXAMPLE_RULES = [
    {
        "code": "PAR-TASKS-10",
        "name": "Thực hiện nhiệm vụ được giao đúng hạn (10 điểm)",
        "metric": "on_time_rate",
        "max_points": 10,
        "bands": [
            {"min_rate": 1.0, "points": 10, "strict": False},
            {"min_rate": 0.9, "points": 8, "strict": False},
            {"min_rate": 0.8, "points": 6, "strict": False},
            {"min_rate": 0.7, "points": 4, "strict": False},
        ],
        "when_no_tasks": "not_applicable",
    },
    {
        "code": "PAR-TASKS-2",
        "name": "Tỷ lệ hoàn thành nhiệm vụ được giao (2 điểm)",
        "metric": "completion_rate",
        "max_points": 2,
        "bands": [
            {"min_rate": 0.9, "points": 2, "strict": True},
            {"min_rate": 0.7, "points": 1, "strict": False},
        ],
        "when_no_tasks": "not_applicable",
    },
]


def install(apps, schema_editor):  # noqa: ANN001, ANN201
    rule_model = apps.get_model("tracker", "ScoringRule")
    year = timezone.localdate().year
    for rule in EXAMPLE_RULES:
        rule_model.objects.get_or_create(year=year, code=rule["code"], defaults=rule)


def remove(apps, schema_editor):  # noqa: ANN001, ANN201
    codes = [rule["code"] for rule in EXAMPLE_RULES]
    apps.get_model("tracker", "ScoringRule").objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("tracker", "0007_published_is_final")]

    operations = [migrations.RunPython(install, remove)]
