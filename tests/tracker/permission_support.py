"""What the permission tests share (test_permissions_*.py): the roles, the world with a
user of each role, and the helpers that name the expected status and count rows."""

from dataclasses import dataclass
from typing import Any

import pytest
from django.forms.models import model_to_dict

from directives.models import Directive
from tests.conftest import client_for
from tests.factories import DepartmentFactory, DirectiveFactory, TaskFactory, UserFactory
from tracker.models import Department, Role, Task, TaskCoordination, TaskHistory, User

ROLES = (
    "anonymous",
    "office",
    "superuser",
    "leader",
    "department_head",
    "department_officer",
    "scoring",
)


# The department users belong to SYT. "own": a task SYT leads; "coordinating": a task SXD
# leads and SYT coordinates; "other": a task STC leads, SYT not on it.
TARGETS = ("own", "coordinating", "other")


OFFICE_ROLES = ("office", "superuser")


DEPARTMENT_ROLES = ("department_head", "department_officer")


@dataclass
class World:
    users: dict[str, User | None]
    tasks: dict[str, Task]
    directives: dict[str, Directive]
    syt: Department
    stc: Department
    sxd: Department

    def client(self, role: str):
        return client_for(self.users[role])


@pytest.fixture
def world(department, other_department, office_user, leader_user, scoring_user, officer, head):
    sxd = DepartmentFactory(code="SXD", name="Sở Xây dựng")
    # A superuser has every right of the office, whatever its role says.
    superuser = UserFactory(role=Role.LEADER, username="root")
    superuser.is_superuser = True
    superuser.is_staff = True
    superuser.save(update_fields=["is_superuser", "is_staff"])
    directives = {
        target: DirectiveFactory(number=f"{n}/TB-UBND") for n, target in enumerate(TARGETS, 1)
    }
    tasks = {
        "own": TaskFactory(
            directive=directives["own"], title="Nhiệm vụ Sở Y tế", lead_department=department
        ),
        "coordinating": TaskFactory(
            directive=directives["coordinating"],
            title="Nhiệm vụ Sở Xây dựng chủ trì",
            lead_department=sxd,
            coordinating_departments=[department],
        ),
        "other": TaskFactory(
            directive=directives["other"],
            title="Nhiệm vụ Sở Tài chính",
            lead_department=other_department,
        ),
    }
    return World(
        users={
            "anonymous": None,
            "office": office_user,
            "superuser": superuser,
            "leader": leader_user,
            "department_head": head,
            "department_officer": officer,
            "scoring": scoring_user,
        },
        tasks=tasks,
        directives=directives,
        syt=department,
        stc=other_department,
        sxd=sxd,
    )


def row(instance: Any) -> dict[str, Any]:
    """A model's stored values, read afresh from the database."""
    instance = type(instance).objects.get(pk=instance.pk)
    values = model_to_dict(instance)
    for name in ("version", "updated_at", "issued_year", "password", "is_active"):
        if hasattr(instance, name):
            values[name] = getattr(instance, name)
    return values


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (User, Department, Directive, Task, TaskCoordination, TaskHistory)
    }
