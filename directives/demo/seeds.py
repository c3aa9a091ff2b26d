"""The demo province's data, read once from data/*.yaml (each file says what its fields
mean) into frozen records. Every value is checked against the record's type hints (a choice
against its model's choices) and an unknown key is refused, so a typo in a data file fails
at import rather than as a strange demo; every string is NFC-normalized."""

import types
import unicodedata
from dataclasses import dataclass, is_dataclass
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

import yaml

from directives.models import DirectiveKind
from tracker.models import DepartmentKind, Priority, Role, TaskStatus

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class DepartmentSeed:
    code: str
    name: str
    kind: DepartmentKind
    head: str | None = None
    supervising_leader: str | None = None
    active: bool = True


@dataclass(frozen=True)
class UserSeed:
    username: str
    full_name: str
    role: Role
    position: str
    department: str | None = None
    language: str = "vi"
    superuser: bool = False


@dataclass(frozen=True)
class Step:
    status: TaskStatus
    reason: str


@dataclass(frozen=True)
class Deadline:
    """Working days from `today` or from the assigned date (the task's
    deadline_working_days): exactly one of the two."""

    today: int | None = None
    assigned: int | None = None

    def __post_init__(self) -> None:
        if (self.today is None) == (self.assigned is None):
            raise ValueError("a deadline counts from today or from assigned")


@dataclass(frozen=True)
class ExtensionSeed:
    working_days: int
    reason: str
    outcome: Literal["pending", "approved", "rejected", "closed"]
    note: str = ""


@dataclass(frozen=True)
class TaskSeed:
    title: str
    content: str
    lead: str
    coordinating: tuple[str, ...] = ()
    assigned: int = 0
    deadline: Deadline | None = None
    priority: Priority = Priority.NORMAL
    steps: tuple[Step, ...] = ()
    completed: int = 0
    extension: ExtensionSeed | None = None


@dataclass(frozen=True)
class DirectiveSeed:
    number: str
    kind: DirectiveKind
    title: str
    summary: str
    issued: int
    signer: str
    follow_up_officer: str
    tasks: tuple[TaskSeed, ...]


@dataclass(frozen=True)
class ReportSettingsSeed:
    """The fields of tracker.models.ReportSettings that the demo fills."""

    governing_body: str
    issuing_body: str
    document_symbol: str
    place: str
    recipients: str
    preparer_title: str
    preparer_name: str
    signer_authority: str
    signer_title: str
    signer_name: str


@dataclass(frozen=True)
class Province:
    name: str
    password: str
    email_domain: str
    marker: str
    office_director: str
    sample_tasks_as_of: date
    report_settings: ReportSettingsSeed
    departments: tuple[DepartmentSeed, ...]
    users: tuple[UserSeed, ...]
    directives: tuple[DirectiveSeed, ...]


def build(kind: Any, raw: Any) -> Any:
    """`raw`, as read from YAML, made a `kind`: a record from a mapping, a tuple from a list,
    a choice by value; anything else must already be of its type."""
    origin, args = get_origin(kind), get_args(kind)
    if isinstance(kind, type) and is_dataclass(kind):
        hints = get_type_hints(kind)
        unknown = set(raw) - set(hints)
        if unknown:
            raise ValueError(f"{kind.__name__}: unknown {sorted(unknown)} in {raw}")
        return kind(**{key: build(hints[key], value) for key, value in raw.items()})
    if origin is tuple:
        return tuple(build(args[0], item) for item in raw)
    if origin in (Union, types.UnionType):
        return None if raw is None else build(args[0], raw)
    if origin is Literal and raw in args:
        return raw
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(raw)
    if isinstance(kind, type) and isinstance(raw, kind) and (kind is bool or type(raw) is not bool):
        return raw
    raise ValueError(f"{raw!r} is not a {kind}")


def _read(name: str) -> Any:
    return yaml.safe_load(unicodedata.normalize("NFC", (DATA / name).read_text("utf-8")))


def read_province() -> Province:
    directives = _read("directives.yaml")
    usual = directives["usual_steps"]  # a task's step is one of these by name, or spelt out
    for directive in directives["directives"]:
        for task in directive["tasks"]:
            task["steps"] = [usual[s] if isinstance(s, str) else s for s in task.get("steps", [])]
    province: Province = build(
        Province,
        {
            **_read("province.yaml"),
            "departments": _read("departments.yaml"),
            "users": _read("users.yaml"),
            "directives": directives["directives"],
        },
    )
    return province


PROVINCE = read_province()
# The names the tests and the command read.
DEPARTMENTS, USERS, DIRECTIVES = PROVINCE.departments, PROVINCE.users, PROVINCE.directives
PROVINCE_NAME, DEMO_PASSWORD, MARKER_USERNAME = PROVINCE.name, PROVINCE.password, PROVINCE.marker
SAMPLE_TASKS_AS_OF = PROVINCE.sample_tasks_as_of
