"""Loads the demo province (seeds.PROVINCE) as of `today`, through the project's services.

Every date is `today` moved by working days, so the data is deterministic given `today`.
Each task is moved to its state by the lifecycle actions (tracker.services.lifecycle), each
by the person who would take it, so its reports and history are complete. The history is
stamped at load time; extension requests are asked and decided on `today`."""

import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from directives.demo.seeds import PROVINCE, ExtensionSeed, TaskSeed
from directives.imports import ImportRejected, import_tasks
from directives.models import Directive
from directives.services import directive_create
from tracker.models import (
    DEPARTMENT_ROLES,
    Department,
    ExtensionRequest,
    ReportSettings,
    Role,
    Task,
    User,
)
from tracker.models import TaskStatus as S
from tracker.selectors.calendar import WorkingCalendar
from tracker.services import lifecycle
from tracker.services.departments import department_create, department_update
from tracker.services.report_settings import report_settings_update
from tracker.services.users import user_create

# The task import's sample file, imported (through the import) after the demo's own
# directives when `today` is PROVINCE.sample_tasks_as_of or later, its dates being fixed:
# so nothing in the demo lies in the future.
SAMPLE_TASKS = Path(__file__).resolve().parents[1] / "samples" / "tasks.csv"


class DemoConflictError(Exception):
    """The database already holds objects that clash with the demo data."""


@dataclass(frozen=True)
class DemoResult:
    created: bool
    today: date
    password: str
    departments: int = 0
    users: int = 0
    directives: int = 0
    tasks: int = 0
    tasks_by_status: dict[str, int] = field(default_factory=dict)
    extensions_by_status: dict[str, int] = field(default_factory=dict)


@transaction.atomic
def load_demo(today: date) -> DemoResult:
    """Creates the demo province as of `today`, or nothing when it is already loaded."""
    if User.objects.filter(username=PROVINCE.marker).exists():
        return DemoResult(created=False, today=today, password=PROVINCE.password)
    with _clock_on(today):
        return _load(today)


@contextmanager
def _clock_on(today: date) -> Iterator[None]:
    """The lifecycle checks what it is told against the current day (an extension is asked
    for on or before the deadline, a completion is not in the future): while the demo is
    loaded as of another day than the real one, config.common.clock reads that day (09:00)
    from a file of this process's own, so no other process's clock moves."""
    if today == timezone.localdate():
        yield
        return
    saved = settings.CLOCK_FILE
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "clock"
        moment = datetime.combine(today, time(9, 0), timezone.get_current_timezone())
        path.write_text(moment.isoformat())
        settings.CLOCK_FILE = str(path)
        try:
            yield
        finally:
            settings.CLOCK_FILE = saved


def _check_conflicts(today: date, calendar: WorkingCalendar) -> None:
    usernames = [u.username for u in PROVINCE.users]
    taken = sorted(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    clashes = [f"user {name}" for name in taken]
    for seed in PROVINCE.directives:
        issued_on = calendar.add_working_days(today, -seed.issued)
        if Directive.objects.filter(number=seed.number, issued_year=issued_on.year).exists():
            clashes.append(f"directive {seed.number} of {issued_on.year}")
    if clashes:
        raise DemoConflictError(
            "The database already holds objects the demo data would create: "
            + ", ".join(clashes)
            + ". Load the demo into an empty database."
        )


@dataclass(frozen=True)
class _Loading:
    """What every step of the load reads: the day, the calendar, and who is who."""

    today: date
    calendar: WorkingCalendar
    departments: dict[str, Department]
    users: dict[str, User]

    def task_input(self, seed: TaskSeed, issued_on: date, officer: User) -> dict[str, Any]:
        assigned_on = min(self.calendar.add_working_days(issued_on, seed.assigned), self.today)
        lead = self.departments[seed.lead]
        data: dict[str, Any] = {
            "title": seed.title,
            "content": seed.content,
            "lead_department": lead,
            "coordinating_departments": [self.departments[c] for c in seed.coordinating],
            "assigned_on": assigned_on,
            "priority": seed.priority,
            "follow_up_officer": officer,
            "supervising_leader": lead.supervising_leader,
        }
        if seed.deadline is not None and seed.deadline.assigned is not None:
            data["deadline_working_days"] = seed.deadline.assigned
        elif seed.deadline is not None and seed.deadline.today is not None:
            deadline = self.calendar.add_working_days(self.today, seed.deadline.today)
            data["deadline"] = max(deadline, assigned_on)
        return data

    def move(self, task: Task, seed: TaskSeed, officer: User) -> None:
        """Takes the task through its seed's steps, each by the person who would take it:
        the lead department's officer (else its head) starts, its head reports, the
        follow-up officer accepts or returns, the office director pauses, resumes and
        cancels. An extension request comes after the first step."""
        lead = next(d for d in PROVINCE.departments if d.code == seed.lead)
        head = self.users[lead.head or PROVINCE.office_director]
        members = [
            self.users[u.username]
            for u in PROVINCE.users
            if u.department == seed.lead and u.role in DEPARTMENT_ROLES
        ]
        officers = [u for u in members if u.role == Role.DEPARTMENT_OFFICER]
        worker = (officers or members or [head])[0]
        director = self.users[PROVINCE.office_director]
        base = task.effective_deadline or task.assigned_on
        completed_on = self.calendar.add_working_days(base, seed.completed)
        completed_on = min(max(completed_on, task.assigned_on), self.today)
        ask_after = min(1, len(seed.steps))  # steps taken before the extension request
        for number, step in enumerate(seed.steps):
            if seed.extension is not None and number == ask_after:
                self.extension(task, seed.extension, worker, officer)
            current = Task.objects.values_list("status", flat=True).get(pk=task.pk)
            target, reason = step.status, step.reason
            if target == S.IN_PROGRESS and current == S.ASSIGNED:
                lifecycle.progress_report_create(task_id=task.pk, actor=worker, note=reason)
            elif target == S.IN_PROGRESS and current == S.AWAITING_ACCEPTANCE:
                lifecycle.completion_return(task_id=task.pk, actor=officer, reason=reason)
            elif target == S.IN_PROGRESS:
                lifecycle.task_resume(task_id=task.pk, actor=director, reason=reason)
            elif target == S.AWAITING_ACCEPTANCE:
                lifecycle.completion_report_create(
                    task_id=task.pk, actor=head, completed_on=completed_on, result=reason
                )
            elif target == S.COMPLETED:
                lifecycle.completion_accept(task_id=task.pk, actor=officer)
            elif target == S.PAUSED:
                lifecycle.task_pause(task_id=task.pk, actor=director, reason=reason)
            else:
                lifecycle.task_cancel(task_id=task.pk, actor=director, reason=reason)
        if seed.extension is not None and len(seed.steps) == ask_after:
            self.extension(task, seed.extension, worker, officer)

    def extension(self, task: Task, seed: ExtensionSeed, worker: User, officer: User) -> None:
        """Asked today, on or before the deadline, by the lead department's worker; decided
        today by the supervising leader or the follow-up officer. A "closed" request is left
        pending for the pause its task's steps take next, which rejects it."""
        deadline = Task.objects.values_list("effective_deadline", flat=True).get(pk=task.pk)
        assert deadline is not None, f"{task}: an extension needs a deadline to extend"
        request = lifecycle.extension_request_create(
            task_id=task.pk,
            actor=worker,
            requested_deadline=self.calendar.add_working_days(deadline, seed.working_days),
            reason=seed.reason,
        )
        if seed.outcome == "approved":
            leader = task.supervising_leader
            assert leader is not None, f"{task}: its lead department has no supervising leader"
            lifecycle.extension_approve(request_id=request.pk, actor=leader, note=seed.note)
        elif seed.outcome == "rejected":
            lifecycle.extension_reject(request_id=request.pk, actor=officer, note=seed.note)


def _load_departments() -> tuple[dict[str, Department], int]:
    departments: dict[str, Department] = {}
    created = 0
    for n, seed in enumerate(PROVINCE.departments, start=1):
        existing = Department.objects.filter(code=seed.code).first()
        if existing is not None:
            # A department set up before the demo is used as it is.
            departments[seed.code] = existing
            continue
        departments[seed.code] = department_create(
            code=seed.code,
            name=seed.name,
            kind=seed.kind,
            email=f"{seed.code.lower()}@{PROVINCE.email_domain}" if seed.active else "",
            phone=f"0200{3810000 + n}" if seed.active else "",
            active=seed.active,
        )
        created += 1
    return departments, created


def _load_users(departments: dict[str, Department]) -> dict[str, User]:
    # One hash for all: hashing is deliberately slow, and every demo account shares it.
    password_hash = make_password(PROVINCE.password)
    users: dict[str, User] = {}
    for n, seed in enumerate(PROVINCE.users, start=1):
        data: dict[str, Any] = {
            "username": seed.username,
            "full_name": seed.full_name,
            "email": f"{seed.username.replace('_', '.')}@{PROVINCE.email_domain}",
            "phone": f"0900{n:06d}",
            "role": seed.role,
            "department": departments[seed.department] if seed.department else None,
            "language": seed.language,
        }
        validate_password(PROVINCE.password, user=User(**data))
        user = user_create(**data)
        user.password = password_hash
        user.is_staff = user.is_superuser = seed.superuser
        user.save(update_fields=["password", "is_staff", "is_superuser"])
        users[seed.username] = user
    for department_seed in PROVINCE.departments:
        department = departments[department_seed.code]
        heads: dict[str, User] = {}
        if department_seed.head and department.head_id is None:
            heads["head"] = users[department_seed.head]
        leader = department_seed.supervising_leader
        if leader and department.supervising_leader_id is None:
            heads["supervising_leader"] = users[leader]
        if heads:
            department_update(department=department, data=heads)
    return users


def _status_counts() -> Counter[str]:
    return Counter(dict(Task.objects.order_by().values_list("status").annotate(n=Count("id"))))


def _import_sample(today: date, actor: User) -> int:
    """Imports SAMPLE_TASKS when its dates have come; the directives it created."""
    if today < PROVINCE.sample_tasks_as_of:
        return 0
    try:
        with SAMPLE_TASKS.open("rb") as file:
            result = import_tasks(file=file, filename=SAMPLE_TASKS.name, actor=actor, today=today)
    except ImportRejected as exc:
        raise DemoConflictError(
            f"The sample file {SAMPLE_TASKS.name} cannot be imported: {exc}. "
            "Load the demo into an empty database."
        ) from exc
    return result.directives_created


def _load(today: date) -> DemoResult:
    # Covers every date the data uses, so the walks below need no further query.
    calendar = WorkingCalendar(today - timedelta(days=300), today + timedelta(days=120))
    _check_conflicts(today, calendar)
    departments, departments_created = _load_departments()
    users = _load_users(departments)
    loading = _Loading(today, calendar, departments, users)
    office = users[PROVINCE.marker]
    before = _status_counts()
    for seed in PROVINCE.directives:
        issued_on = calendar.add_working_days(today, -seed.issued)
        officer = users[seed.follow_up_officer]
        directive = directive_create(
            actor=office,
            tasks=[loading.task_input(task, issued_on, officer) for task in seed.tasks],
            number=seed.number,
            kind=seed.kind,
            title=seed.title,
            issued_on=issued_on,
            signer=users[seed.signer].full_name,
            summary=seed.summary,
        )
        tasks = directive.tasks.order_by("id")
        for task, task_seed in zip(tasks, seed.tasks, strict=True):
            loading.move(task, task_seed, officer)
    sample_directives = _import_sample(today, office)
    if not ReportSettings.objects.exists():  # the office's own settings are kept
        report_settings_update(**asdict(PROVINCE.report_settings))
    # The tasks the demo created, by the state they ended in.
    statuses = _status_counts()
    statuses.subtract(before)
    statuses = +statuses
    return DemoResult(
        created=True,
        today=today,
        password=PROVINCE.password,
        departments=departments_created,
        users=len(users),
        directives=len(PROVINCE.directives) + sample_directives,
        tasks=sum(statuses.values()),
        tasks_by_status={str(s): statuses.get(s, 0) for s in S},
        extensions_by_status=dict(
            ExtensionRequest.objects.order_by("status")
            .values_list("status")
            .annotate(n=Count("id"))
        ),
    )
