"""The benchmarks' province: 1,000 departments, an office user with a token and an officer,
and a task table filled by COPY with a province's mix of states, deadlines and extensions as
of TODAY (2026-11-21), one directive per 20 tasks (bench/README.md, "Compliance
indicators"). The indicators, web pages, task lists and concurrency benchmarks share it."""

import datetime as dt
import io
import random
import time

from bench.common import SUBJECTS
from bench.database import execute, insert_directives

SEED = 20261121
TODAY = dt.date(2026, 11, 21)
DATE_FROM, DATE_TO, AS_OF = dt.date(2026, 1, 1), dt.date(2026, 12, 31), dt.date(2026, 10, 31)
SPAN = 730  # assigned over the two years before TODAY
DEPARTMENTS = 1_000
TASKS_PER_DIRECTIVE = 20
# (kind, share in ‰): the task's state at TODAY.
KINDS = (
    ("early", 360),
    ("on_deadline", 90),
    ("late", 150),
    ("within", 200),
    ("overdue", 80),
    ("no_deadline", 50),
    ("paused", 30),
    ("cancelled", 20),
    ("awaiting", 20),  # awaiting acceptance, within its deadline
)
EXTENDED = 0.03  # of the tasks with a deadline
REJECTED = 0.01
TASK_COLUMNS = (
    "id",
    "directive_id",
    "title",
    "content",
    "lead_department_id",
    "assigned_on",
    "original_deadline",
    "effective_deadline",
    "priority",
    "status",
    "completed_on",
    "version",
    "created_at",
    "updated_at",
)
EXTENSION_COLUMNS = (
    "task_id",
    "department_id",
    "author_id",
    "previous_deadline",
    "requested_deadline",
    "reason",
    "status",
    "decided_by_id",
    "decided_at",
    "decided_on",
    "note",
    "created_at",
)


def empty_tables() -> None:
    execute(
        "TRUNCATE tracker_extensionrequest, tracker_taskhistory, tracker_taskcoordination, "
        "tracker_task, directives_directive, tracker_department, tracker_user CASCADE"
    )


def copy_rows(table: str, columns: tuple[str, ...], buffer: io.StringIO) -> None:
    from django.db import connection

    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        data = buffer.getvalue().encode()
        for at in range(0, len(data), 1 << 20):
            copy.write(data[at : at + (1 << 20)])


# --- the data --------------------------------------------------------------------------


class World:
    """1,000 departments, an office user with a token, an officer who requests extensions."""

    def __init__(self) -> None:
        from tracker.models import Department, DepartmentKind, Role, User
        from tracker.services.tokens import token_issue

        departments = Department.objects.bulk_create(
            Department(
                code=f"B{n:04d}",
                name=f"Cơ quan thử nghiệm số {n}",
                kind=DepartmentKind.SO if n % 3 else DepartmentKind.UBND_XA,
            )
            for n in range(1, DEPARTMENTS + 1)
        )
        office = User(username="bench_office", full_name="Chuyên viên VP", role=Role.OFFICE)
        officer = User(
            username="bench_officer",
            full_name="Chuyên viên Sở",
            role=Role.DEPARTMENT_OFFICER,
            department=departments[0],
        )
        for user in (office, officer):
            user.set_unusable_password()
            user.save()
        self.token = token_issue(user=office)[1]
        self.office, self.officer = office.pk, officer.pk
        self.departments = [d.pk for d in departments]
        # A few departments carry most tasks, as the big sở do.
        self.weights = [8 if n < 50 else 1 for n in range(DEPARTMENTS)]
        self.directives: list[int] = []
        self.tasks = 0
        self.extensions = 0
        self.rng = random.Random(SEED)
        self.kinds = [kind for kind, share in KINDS for _ in range(share)]

    def add_directives(self, count: int) -> None:
        start = len(self.directives) + 1
        self.directives += insert_directives(start, count, "2024-11-01", 730)

    def dates(self, kind: str) -> tuple[str, dt.date, dt.date | None, dt.date | None]:
        """(status, assigned_on, deadline in force today, completed_on) for a kind."""
        rng, day = self.rng, dt.timedelta(days=1)
        assigned = TODAY - rng.randrange(2, SPAN) * day
        waited = (TODAY - assigned).days
        if kind == "early":
            completed = assigned + rng.randrange(0, min(60, waited)) * day
            return "completed", assigned, completed + rng.randrange(1, 30) * day, completed
        if kind == "on_deadline":
            completed = assigned + rng.randrange(0, min(60, waited)) * day
            return "completed", assigned, completed, completed
        if kind == "late":
            deadline = assigned + rng.randrange(0, min(60, waited - 1)) * day
            late = min(30, (TODAY - deadline).days)
            return "completed", assigned, deadline, deadline + rng.randrange(1, late + 1) * day
        if kind in ("within", "awaiting"):
            assigned = TODAY - rng.randrange(0, 365) * day
            status = "awaiting_acceptance" if kind == "awaiting" else rng.choice(OPEN)
            return status, assigned, TODAY + rng.randrange(0, 120) * day, None
        if kind == "overdue":
            return rng.choice(OPEN), assigned, assigned + rng.randrange(0, waited) * day, None
        if kind == "no_deadline":
            if rng.random() < 0.4:
                return "completed", assigned, None, assigned + rng.randrange(0, waited) * day
            return rng.choice(OPEN), assigned, None, None
        deadline = assigned + rng.randrange(10, 120) * day if rng.random() < 0.9 else None
        return kind, assigned, deadline, None  # paused or cancelled

    def extensions_for(
        self, task: int, department: int, assigned: dt.date, deadline: dt.date
    ) -> tuple[dt.date, list[str]]:
        """The original deadline of a task extended to `deadline`, and its approved requests
        (one, or two for a third of them)."""
        rng, day = self.rng, dt.timedelta(days=1)
        original = assigned + rng.randrange(0, (deadline - assigned).days) * day
        steps = [original]
        if (deadline - original).days >= 2 and rng.random() < 1 / 3:
            steps.append(original + rng.randrange(1, (deadline - original).days) * day)
        steps.append(deadline)
        last = min(TODAY, deadline)
        decided = sorted(
            assigned + rng.randrange(0, (last - assigned).days + 1) * day
            for _ in range(len(steps) - 1)
        )
        rows = [
            self.extension_row(task, department, previous, requested, "approved", on)
            for previous, requested, on in zip(steps[:-1], steps[1:], decided, strict=True)
        ]
        return original, rows

    def extension_row(
        self,
        task: int,
        department: int,
        previous: dt.date,
        requested: dt.date,
        status: str,
        decided_on: dt.date,
    ) -> str:
        at = dt.datetime.combine(decided_on, dt.time(9, 30), tzinfo=dt.UTC).isoformat()
        values = (
            task,
            department,
            self.officer,
            previous,
            requested,
            "Khối lượng công việc lớn, cần thêm thời gian phối hợp.",
            status,
            self.office,
            at,
            decided_on,
            "",
            at,
        )
        return "\t".join(str(v) for v in values) + "\n"

    def add_tasks(self, count: int) -> float:
        """COPYs `count` more tasks and their extension requests. Returns seconds."""
        from django.db import connection

        rng, N = self.rng, r"\N"
        needed = (self.tasks + count) // TASKS_PER_DIRECTIVE + 1
        if needed > len(self.directives):
            self.add_directives(needed - len(self.directives))
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(max(id), 0) FROM tracker_task")
            first_id = cursor.fetchone()[0] + 1
        now = dt.datetime.now(dt.UTC).isoformat()
        started = time.perf_counter()
        tasks, extensions = io.StringIO(), io.StringIO()
        leads = rng.choices(self.departments, weights=self.weights, k=count)
        for i in range(count):
            n, task = self.tasks + i, first_id + i
            lead = leads[i]
            status, assigned, deadline, completed = self.dates(rng.choice(self.kinds))
            original = deadline
            if deadline is not None and deadline > assigned and status != "cancelled":
                draw = rng.random()
                if draw < EXTENDED:
                    original, rows = self.extensions_for(task, lead, assigned, deadline)
                    extensions.writelines(rows)
                    self.extensions += len(rows)
                elif draw < EXTENDED + REJECTED:
                    asked = deadline + dt.timedelta(days=rng.randrange(5, 60))
                    decided = min(TODAY, deadline)
                    extensions.write(
                        self.extension_row(task, lead, deadline, asked, "rejected", decided)
                    )
            title = f"Rà soát, báo cáo {SUBJECTS[n % len(SUBJECTS)]} (nhiệm vụ {n + 1})"
            values = (
                task,
                self.directives[n // TASKS_PER_DIRECTIVE],
                title,
                "Thực hiện theo chỉ đạo của Chủ tịch UBND tỉnh.",
                lead,
                assigned,
                N if original is None else original,
                N if deadline is None else deadline,
                "normal",
                status,
                N if completed is None else completed,
                1,
                now,
                now,
            )
            tasks.write("\t".join(str(v) for v in values) + "\n")
        copy_rows("tracker_task", TASK_COLUMNS, tasks)
        copy_rows("tracker_extensionrequest", EXTENSION_COLUMNS, extensions)
        elapsed = time.perf_counter() - started
        execute(
            "SELECT setval(pg_get_serial_sequence('tracker_task', 'id'), max(id)) FROM tracker_task"
        )
        execute("VACUUM ANALYZE tracker_task")
        execute("VACUUM ANALYZE tracker_extensionrequest")
        # As autovacuum would in a minute: plans made on 72 departments where there are
        # 1,000 are nested loops over all of them (bench/README.md, "Task lists").
        execute("ANALYZE tracker_department, tracker_user, directives_directive")
        self.tasks += count
        return elapsed


OPEN = ("assigned", "in_progress")
