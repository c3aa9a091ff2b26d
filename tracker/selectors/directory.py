"""Departments and users: who exists and who may see whom."""

from django.db.models import QuerySet

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


def department_by_ref(ref: int | str) -> Department | None:
    """The department an input names by its unique code ("SYT") or by its id."""
    if isinstance(ref, str):
        department = Department.objects.filter(code=ref.strip()).first()
        if department is not None:
            return department
        ref = _as_id(ref)
        if ref is None:
            return None
    return Department.objects.filter(pk=ref).first()


def department_ancestors(department: Department) -> list[int]:
    """The ids above a department, nearest first (stops at a cycle, which the API refuses)."""
    ancestors: list[int] = []
    current = department.parent_id
    while current is not None and current not in ancestors and current != department.pk:
        ancestors.append(current)
        current = Department.objects.filter(pk=current).values_list("parent_id", flat=True).first()
    return ancestors
