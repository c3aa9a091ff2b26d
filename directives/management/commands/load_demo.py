"""`manage.py load_demo`: loads the demo province once and prints where the web application
is served (`make run` runs it just before starting the server) and whom to sign in as."""

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from directives.demo.loader import DemoConflictError, DemoResult, load_demo
from directives.demo.seeds import DEPARTMENTS, PROVINCE_NAME, USERS


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]], indent: str = "") -> list[str]:
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        cells = tuple(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
        return (indent + "  ".join(cells)).rstrip()

    return [
        line(header),
        indent + "  ".join("-" * width for width in widths),
        *(line(row) for row in rows),
    ]


# Whom to sign in as to see each role's pages (every account is in the table below).
SIGN_IN_AS = (
    ("Office (Văn phòng UBND tỉnh: follows up, full rights)", "chuyenvien"),
    ("Department officer (Sở Y tế)", "syt_chuyenvien"),
    ("Department head (Giám đốc Sở Y tế)", "syt_thutruong"),
    ("Leader (Phó Chủ tịch UBND tỉnh, supervises Sở Y tế)", "pct2"),
    ("Scoring (Sở Nội vụ)", "chamdiem"),
    ("System administrator (the admin only)", "admin"),
)


def web_address() -> str:
    """Where `make run` serves the web application: the variables config/Procfile reads."""
    host = os.environ.get("HOST") or "127.0.0.1"
    return f"http://{host}:{os.environ.get('PORT') or '8000'}/"


def format_demo_result(result: DemoResult) -> str:
    web = web_address()
    lines = [
        f"Web application: {web}  (open it once the server below has started)",
        "",
        f"Sign in as (every demo account has the password {result.password}):",
        *_table(("ROLE", "USERNAME"), list(SIGN_IN_AS), indent="  "),
        "",
        f"Admin: {web}admin/  (as admin)    API docs: {web}api/v1/docs/",
        "",
    ]
    if result.created:
        by_status = ", ".join(f"{status} {n}" for status, n in result.tasks_by_status.items())
        extensions = ", ".join(f"{status} {n}" for status, n in result.extensions_by_status.items())
        lines += [
            f"Demo data loaded: UBND tỉnh {PROVINCE_NAME} (a fictional province), "
            f"dated relative to {result.today.isoformat()}.",
            f"  {result.departments} departments, {result.users} users, "
            f"{result.directives} directives, {result.tasks} tasks ({by_status}),",
            f"  extension requests ({extensions}).",
        ]
    else:
        lines.append("Demo data is already loaded; nothing was changed.")
    lines += ["", f"Every demo account (password {result.password}):", ""]
    names = {department.code: department.name for department in DEPARTMENTS}
    rows: list[tuple[str, ...]] = [
        (
            user.username,
            f"{user.role.value} (superuser)" if user.superuser else user.role.value,
            user.department or "-",
            user.language,
            f"{user.full_name} – {user.position}"
            + (f", {names[user.department]}" if user.department else ""),
        )
        for user in USERS
    ]
    lines += _table(("USERNAME", "ROLE", "DEPARTMENT", "LANG", "NAME – POSITION"), rows)
    lines += [
        "",
        "The API:",
        f"  Token   curl -d username=chuyenvien -d password={result.password} "
        f"{web}api/v1/auth/token/",
        f"  Tasks   curl -H 'Authorization: Token <token>' {web}api/v1/tasks/",
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
