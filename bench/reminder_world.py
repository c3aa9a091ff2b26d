"""The reminders benchmark's province (bench/reminders_bench.py): ~200 departments with
their people, the office, and a task table filled by COPY of which exactly DUE open tasks
have a reminder step due at NOW, whatever the size."""

from __future__ import annotations

import datetime as dt
import io
import random
import time
from typing import Any
from zoneinfo import ZoneInfo

from bench.common import SUBJECTS
from bench.database import execute, insert_directives

SEED = 20260610
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = dt.date(2026, 6, 10)  # a Wednesday; the sweep runs at 08:05 local
NOW = dt.datetime(2026, 6, 10, 8, 5, tzinfo=TZ)
DUE = 200  # K: tasks with a step due today, at every size
DUE_OFFSETS = (-5, -1, 0, 1, 5, 10, 15)
DEPARTMENTS = 200
TASKS_PER_DIRECTIVE = 100
BATCH = 500  # the sweep's batch size (tracker.services.reminders.BATCH_SIZE)
OPEN = ("assigned", "in_progress", "awaiting_acceptance")
TASK_COLUMNS = (
    "directive_id",
    "title",
    "content",
    "lead_department_id",
    "assigned_on",
    "original_deadline",
    "effective_deadline",
    "priority",
    "follow_up_officer_id",
    "supervising_leader_id",
    "status",
    "completed_on",
    "next_reminder_on",
    "version",
    "created_at",
    "updated_at",
)


def empty_tables() -> None:
    execute(
        "TRUNCATE notifications_notification, notifications_notificationpreference, "
        "tracker_taskhistory, tracker_taskcoordination, tracker_task, directives_directive, "
        "tracker_department, tracker_user CASCADE"
    )


class World:
    """~200 departments (head, 3 officers of whom one reads English, a supervising leader),
    the office (VP) with its director and 10 follow-up officers."""

    def __init__(self) -> None:
        from tracker.models import Department, DepartmentKind, Role, User

        def user(username: str, role: str, department: Any = None, language: str = "vi") -> Any:
            u = User(
                username=username,
                full_name=f"Cán bộ {username}",
                email=f"{username}@example.vn",
                phone="0912345678",
                role=role,
                department=department,
                language=language,
            )
            u.set_unusable_password()
            return u

        office = Department.objects.create(code="VP", name="Văn phòng UBND tỉnh", kind="khac")
        departments = Department.objects.bulk_create(
            Department(code=f"R{n:04d}", name=f"Sở thử nghiệm {n}", kind=DepartmentKind.SO)
            for n in range(DEPARTMENTS)
        )
        people = [user("director", Role.OFFICE, office)]
        people += [
            user(f"follow{n}", Role.OFFICE, office, "en" if n % 3 == 0 else "vi") for n in range(10)
        ]
        people += [user(f"leader{n}", Role.LEADER) for n in range(5)]
        for d in departments:
            people.append(user(f"{d.code}_head", Role.DEPARTMENT_HEAD, d))
            for n in range(3):
                people.append(
                    user(f"{d.code}_o{n}", Role.DEPARTMENT_OFFICER, d, "en" if n == 0 else "vi")
                )
        User.objects.bulk_create(people)
        by_name = {u.username: u for u in User.objects.all()}
        office.head = by_name["director"]
        office.save(update_fields=["head"])
        for n, d in enumerate(departments):
            d.head = by_name[f"{d.code}_head"]
            d.supervising_leader = by_name[f"leader{n % 5}"]
        Department.objects.bulk_update(departments, ["head", "supervising_leader"])
        self.departments = [d.pk for d in departments]
        self.follow_ups = [by_name[f"follow{n}"].pk for n in range(10)]
        self.leaders = [by_name[f"leader{n}"].pk for n in range(5)]
        self.recipients = [u.pk for u in by_name.values()]
        self.directives: list[int] = []
        self.tasks = 0
        self.due_ids: list[int] = []
        self.rng = random.Random(SEED)

    def add_directives(self, count: int) -> None:
        start = len(self.directives) + 1
        self.directives += insert_directives(start, count, "2021-01-04", 1900)

    def add_tasks(self, count: int, *, due: int = 0) -> float:
        """COPYs `count` more tasks, the first `due` of them due today. Returns seconds."""
        from django.db import connection

        from tracker.selectors.calendar import WorkingCalendar

        rng = self.rng
        needed = (self.tasks + count) // TASKS_PER_DIRECTIVE + 1
        if needed > len(self.directives):
            self.add_directives(needed - len(self.directives))
        calendar = WorkingCalendar(TODAY - dt.timedelta(days=60), TODAY + dt.timedelta(days=30))
        now = dt.datetime.now(dt.UTC).isoformat()
        started = time.perf_counter()
        buffer = io.StringIO()
        N = r"\N"
        for i in range(count):
            n = self.tasks + i
            directive = self.directives[n // TASKS_PER_DIRECTIVE]
            lead = self.departments[n % DEPARTMENTS]
            follow_up = self.follow_ups[n % 10]
            leader = self.leaders[n % 5] if n % 2 else N
            completed = N
            if i < due:
                offset = DUE_OFFSETS[i % len(DUE_OFFSETS)]
                deadline = calendar.add_working_days(TODAY, -offset)
                assigned = deadline - dt.timedelta(days=60)
                status, next_on = OPEN[i % 2], TODAY
            else:
                kind = rng.random()
                if kind < 0.45:  # completed: nothing more to send
                    deadline = TODAY - dt.timedelta(days=rng.randrange(1, 1500))
                    assigned = deadline - dt.timedelta(days=rng.randrange(10, 120))
                    status, next_on = "completed", N
                    completed = assigned + dt.timedelta(days=rng.randrange(1, 120))
                elif kind < 0.55:  # paused or cancelled
                    deadline = TODAY + dt.timedelta(days=rng.randrange(-300, 300))
                    assigned = deadline - dt.timedelta(days=rng.randrange(10, 120))
                    status, next_on = rng.choice(("paused", "cancelled")), N
                elif kind < 0.65:  # open, no deadline
                    deadline = N
                    assigned = TODAY - dt.timedelta(days=rng.randrange(1, 300))
                    status, next_on = rng.choice(OPEN), N
                else:  # open, its next step on a later day (before or after the deadline)
                    next_day = TODAY + dt.timedelta(days=rng.randrange(1, 200))
                    if rng.random() < 0.8:
                        deadline = next_day + dt.timedelta(days=7)
                    else:
                        deadline = next_day - dt.timedelta(days=rng.randrange(20, 100))
                    assigned = min(deadline, next_day) - dt.timedelta(days=30)
                    status, next_on = rng.choice(OPEN), next_day
            title = f"Rà soát, báo cáo {SUBJECTS[n % len(SUBJECTS)]} (nhiệm vụ {n + 1})"
            buffer.write(
                "\t".join(
                    str(v)
                    for v in (
                        directive,
                        title,
                        "Thực hiện theo chỉ đạo của Chủ tịch UBND tỉnh.",
                        lead,
                        assigned,
                        deadline,
                        deadline,
                        "normal",
                        follow_up,
                        leader,
                        status,
                        completed,
                        next_on,
                        1,
                        now,
                        now,
                    )
                )
                + "\n"
            )
        with connection.cursor() as cursor:
            first_id = None
            if due:
                cursor.execute("SELECT coalesce(max(id), 0) FROM tracker_task")
                first_id = cursor.fetchone()[0]
            with cursor.cursor.copy(
                f"COPY tracker_task ({', '.join(TASK_COLUMNS)}) FROM STDIN"
            ) as copy:
                data = buffer.getvalue().encode()
                for at in range(0, len(data), 1 << 20):
                    copy.write(data[at : at + (1 << 20)])
            if due:
                cursor.execute(
                    "SELECT id FROM tracker_task WHERE id > %s AND next_reminder_on = %s "
                    "ORDER BY id",
                    [first_id, TODAY],
                )
                self.due_ids += [row[0] for row in cursor.fetchall()]
        elapsed = time.perf_counter() - started
        execute("VACUUM ANALYZE tracker_task")
        self.tasks += count
        return elapsed


def reset_due(world: World) -> None:
    """The due tasks as they were before a sweep; no notification recorded."""
    execute("DELETE FROM notifications_notification")
    execute(
        "UPDATE tracker_task SET next_reminder_on = %s WHERE id = ANY(%s)",
        [TODAY, world.due_ids],
    )
