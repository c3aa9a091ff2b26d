"""The task import (issue 3): who imports (the office, a superuser), and the service raising with
every error. The samples and the helpers are in tests/directives/import_support.py, the
fixtures in tests/directives/conftest.py."""

import io

import pytest

from directives.imports import ImportRejected, import_tasks
from tests.conftest import client_for
from tests.directives.import_support import counts, upload
from tests.factories import UserFactory
from tests.import_files import csv_file, row
from tracker.models import Role, User

pytestmark = pytest.mark.django_db


# --- who may import -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.OFFICE, 201),
        (Role.LEADER, 403),
        (Role.DEPARTMENT_HEAD, 403),
        (Role.DEPARTMENT_OFFICER, 403),
        (Role.SCORING, 403),
        (None, 401),
    ],
)
def test_only_the_office_imports(role, expected, department, other_department):
    user = None
    if role is not None:
        needs_department = role in (Role.DEPARTMENT_HEAD, Role.DEPARTMENT_OFFICER)
        user = UserFactory(role=role, department=department if needs_department else None)
    before = counts()

    response = upload(client_for(user), csv_file([row()]))

    assert response.status_code == expected, response.content
    if expected != 201:
        assert counts() == before


def test_a_superuser_imports(department, other_department):
    user = UserFactory(role=Role.LEADER)
    User.objects.filter(pk=user.pk).update(is_superuser=True)
    user.refresh_from_db()

    assert upload(client_for(user), csv_file([row()])).status_code == 201


def test_the_service_raises_with_every_error(office_user, department, other_department):
    content = csv_file([row(lead_department_code="XXX"), row(task_title="B", status="x")])

    with pytest.raises(ImportRejected) as info:
        import_tasks(file=io.BytesIO(content), filename="a.csv", actor=office_user)

    assert [(e.row, e.column) for e in info.value.errors] == [
        (2, "lead_department_code"),
        (3, "status"),
    ]
