"""Department codes unique ignoring case: a unique index on lower(code) replaces the
case-sensitive one. Codes that differ only in case (which the admin used to let through)
stop the migration with their names: which one to rename is an official's decision."""

from typing import Any

from django.db import migrations, models
from django.db.models import Count
from django.db.models.functions import Lower


def refuse_codes_differing_only_in_case(apps: Any, schema_editor: Any) -> None:
    department = apps.get_model("tracker", "Department")
    clashes = (
        department.objects.values(key=Lower("code"))
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("key", flat=True)
    )
    if clashes:
        codes = sorted(
            department.objects.annotate(key=Lower("code"))
            .filter(key__in=list(clashes))
            .values_list("code", flat=True)
        )
        raise RuntimeError(
            "Department codes differing only in case: "
            f"{', '.join(codes)}. Rename all but one of each, then migrate again."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0010_user_manager_office_superuser"),
    ]

    operations = [
        migrations.RunPython(refuse_codes_differing_only_in_case, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="department",
            constraint=models.UniqueConstraint(
                Lower("code"), name="department_code_unique_ignoring_case"
            ),
        ),
        migrations.AlterField(
            model_name="department",
            name="code",
            field=models.CharField(max_length=32, verbose_name="code"),
        ),
    ]
