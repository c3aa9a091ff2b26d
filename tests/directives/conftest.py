"""Fixtures of the task import tests (test_import_*.py): the demo departments the samples
name, the office user, and a rejected upload."""

import pytest

from directives.demo.seeds import DEPARTMENTS
from tests.conftest import client_for
from tests.directives.import_support import SAMPLE_ROWS, counts, upload
from tests.factories import DepartmentFactory
from tracker.models import Department


@pytest.fixture
def sample_departments() -> dict[str, Department]:
    """The demo's departments that the sample names."""
    codes = {sample["lead_department_code"] for sample in SAMPLE_ROWS}
    for sample in SAMPLE_ROWS:
        codes |= {c for c in sample["coordinating_department_codes"].split(";") if c}
    return {
        seed.code: DepartmentFactory(code=seed.code, name=seed.name, kind=seed.kind)
        for seed in DEPARTMENTS
        if seed.code in codes
    }


@pytest.fixture
def office(office_user):
    return client_for(office_user)


@pytest.fixture
def rejected(office, department, other_department):
    """Uploads a file and checks that it changed nothing."""

    def post(content: bytes, name: str = "tasks.csv"):
        before = counts()
        response = upload(office, content, name)
        assert counts() == before
        return response

    return post
