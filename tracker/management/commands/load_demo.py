"""`manage.py load_demo`: loads the demo province once and prints the demo accounts."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tracker.demo import PROVINCE_NAME, DemoConflictError, DemoResult, load_demo


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))

    return [
        line(header).rstrip(),
        "  ".join("-" * width for width in widths),
        *(line(row).rstrip() for row in rows),
    ]


def format_demo_result(result: DemoResult) -> str:
    base_url = settings.SITE_URL.rstrip("/")
    lines: list[str] = []
    if result.created:
        by_status = ", ".join(f"{status} {n}" for status, n in result.tasks_by_status.items())
        lines += [
            f"Demo data loaded: UBND tỉnh {PROVINCE_NAME} (a fictional province), "
            f"dated relative to {result.today.isoformat()}.",
            f"  {result.departments} departments, {result.users} users, "
            f"{result.directives} directives, {result.tasks} tasks ({by_status}).",
        ]
    else:
        lines.append("Demo data is already loaded; nothing was changed.")
    lines += [
        "",
        f"Demo accounts (every one has the password {result.password}):",
        "",
    ]
    rows = [
        (
            account.username,
            f"{account.role} (superuser)" if account.superuser else account.role,
            account.department_code or "-",
            result.password,
            account.language,
            f"{account.full_name} – {account.position}"
            + (f", {account.department_name}" if account.department_name else ""),
        )
        for account in result.accounts
    ]
    lines += _table(("USERNAME", "ROLE", "DEPARTMENT", "PASSWORD", "LANG", "NAME – POSITION"), rows)
    lines += [
        "",
        "Try it:",
        "  Start the server   .venv/bin/python manage.py runserver",
        f"  API docs           {base_url}/api/v1/docs/",
        f"  Admin              {base_url}/admin/  (sign in as admin)",
        f"  API token          curl -d username=chuyenvien -d password={result.password} "
        f"{base_url}/api/v1/auth/token/",
        f"  Tasks              curl -H 'Authorization: Token <token>' {base_url}/api/v1/tasks/",
        "",
        "Roles: office = Văn phòng UBND tỉnh (follows up, full rights); leader = Chủ tịch / "
        "Phó Chủ tịch UBND tỉnh;",
        "department_head / department_officer = thủ trưởng / chuyên viên of a sở or xã "
        "(sees its own tasks); scoring = Sở Nội vụ.",
    ]
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Loads demo data (a fictional province: departments, accounts for every role, "
        "directives and tasks in every state, dated relative to today) once, and prints the "
        "demo accounts. Run it again to print the accounts; it changes nothing the second "
        "time. For development and training databases only."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = load_demo(today=timezone.localdate())
        except DemoConflictError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(format_demo_result(result))
