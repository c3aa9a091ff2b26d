"""Departments and users: who exists and who may see whom."""

from collections.abc import Iterable

from django.db.models import QuerySet
from django.db.models.functions import Lower

from tracker.models import Department, User


def department_list() -> QuerySet[Department]:
    return Department.objects.select_related("parent", "head", "supervising_leader")


def user_list() -> QuerySet[User]:
    return User.objects.select_related("department").order_by("username")


def _as_id(text: str) -> int | None:
    """The id a text spells in ASCII digits, or None: not "SYT", nor "²" (a digit int()
    refuses), nor a number too long to be an id (int() refuses over 4,300 digits)."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 20:
        return None
    return int(text)


def department_code_key(code: str) -> str:
    """What makes two department codes the same: their letters, whatever their case ("syt"
    is "SYT"), as the database's unique index on lower(code) compares them."""
    return code.strip().lower()


def department_by_code(code: str) -> Department | None:
    """The department a code names, ignoring case: every entry point finds "SYT" by "syt"."""
    return (
        Department.objects.alias(code_key=Lower("code"))
        .filter(code_key=department_code_key(code))
        .first()
    )


def departments_by_code_key(departments: Iterable[Department]) -> dict[str, Department]:
    """Departments loaded once, by `department_code_key` (the import looks up every row's
    codes without a query each)."""
    return {department_code_key(d.code): d for d in departments}


def department_code_taken(code: str, *, department: Department | None = None) -> bool:
    """Whether another department than `department` holds the code, ignoring case."""
    holder = department_by_code(code)
    return holder is not None and (department is None or holder.pk != department.pk)


def department_by_ref(ref: int | str) -> Department | None:
    """The department an input names by its unique code ("SYT", "syt") or by its id."""
    if isinstance(ref, str):
        department = department_by_code(ref)
        if department is not None:
            return department
        pk = _as_id(ref)
        if pk is None:
            return None
        return Department.objects.filter(pk=pk).first()
    return Department.objects.filter(pk=ref).first()


def department_ancestors(department: Department) -> list[int]:
    """The ids above a department, nearest first (stops at a cycle, which
    tracker.services.departments refuses at every entry point)."""
    ancestors: list[int] = []
    current = department.parent_id
    while current is not None and current not in ancestors and current != department.pk:
        ancestors.append(current)
        current = Department.objects.filter(pk=current).values_list("parent_id", flat=True).first()
    return ancestors
