"""The separation-of-duties tests: the office's own department leads a task, so a member of
the office may report its completion or ask for its extension, and then must not decide on
it; a colleague of the office may. Each module binds the fixture by name
(`duties = duties_support.duties`)."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from tests.factories import DepartmentFactory, TaskFactory, UserFactory
from tracker.models import DepartmentKind, ExtensionRequest, Role, Task, User
from tracker.services import lifecycle

OWN_REPORT = "You reported this completion yourself"
OWN_REQUEST = "You asked for this extension yourself"


@dataclass
class Duties:
    reporter: User  # a member of the office, whose department leads the task
    colleague: User  # another member of the office
    superuser: User  # a superuser acting for the office's department too
    task: Task
    today: dt.date

    def reported(self, by: User | None = None) -> Task:
        """The task awaiting acceptance of a report by `by` (the reporter)."""
        lifecycle.completion_report_create(
            task_id=self.task.pk,
            actor=by or self.reporter,
            completed_on=self.today,
            result="Đã hoàn thành",
        )
        return Task.objects.get(pk=self.task.pk)

    def requested(self) -> ExtensionRequest:
        """A pending extension request by the reporter."""
        return lifecycle.extension_request_create(
            task_id=self.task.pk,
            actor=self.reporter,
            requested_deadline=self.today + dt.timedelta(days=60),
            reason="Chờ số liệu",
        )


@pytest.fixture
def duties(db: None) -> Duties:
    office = DepartmentFactory(code="VP", name="Văn phòng UBND tỉnh", kind=DepartmentKind.KHAC)
    today = timezone.localdate()

    def member(username: str) -> User:
        return UserFactory(role=Role.OFFICE, department=office, username=username, language="en")

    superuser = member("quantri")
    superuser.is_superuser = superuser.is_staff = True
    superuser.save(update_fields=["is_superuser", "is_staff"])
    task = TaskFactory(
        lead_department=office,
        assigned_on=today - dt.timedelta(days=10),
        deadline=today + dt.timedelta(days=30),
    )
    return Duties(member("vp_reporter"), member("vp_colleague"), superuser, task, today)
