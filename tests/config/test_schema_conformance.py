"""Every answer the API gives conforms to the served OpenAPI schema.

The conformance test runs schemathesis against the schema served by the app itself
(`GET /api/v1/schema/`), calling the Django WSGI application in-process, signed in as the
office and as a department officer, over a small realistic dataset. Each generated request
runs in a savepoint that is rolled back afterwards, so what the fuzzer writes (a user made
inactive, a department renamed) never changes what the next example sees. (Unlike in
production, where requests run in autocommit, a request here runs inside the test's
transaction: code that swallowed a database error without a savepoint of its own would fail
here and not there. Nothing in the API does.) Hostile inputs the fuzzer rarely draws are
called too.

The pytest-9-incompatible `schemathesis.pytest.from_fixture` is not used: the schema is
loaded at import (tests/config/schema_support.py) and each operation is a test of its own
(`schema.parametrize()`)."""

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, settings
from rest_framework.test import APIClient
from schemathesis.checks import CHECKS as REGISTERED_CHECKS
from schemathesis.checks import load_all_checks

from tests.config.schema_support import KNOWN, made_realistic, schema
from tests.factories import DepartmentFactory, DirectiveFactory, TaskFactory, UserFactory
from tracker.models import DepartmentKind, Role, User
from tracker.services import lifecycle
from tracker.services.tasks import task_update
from tracker.services.tokens import token_issue

# Hashing passwords (the dataset's, the fuzzer's) at full strength would take most of the time.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Every check schemathesis has (`--checks all`): the response checks, negative and positive
# data, a missing required header, unsupported methods, authentication ignored, deleted
# resources still answering and created ones not available.
load_all_checks()
CHECKS = REGISTERED_CHECKS.get_all()


# --- the dataset ------------------------------------------------------------------------


def seed() -> dict:
    """Departments SYT and STC (and a commune), users of every role, two directives with
    tasks in several states, one of them edited so that its history has several entries."""
    syt = DepartmentFactory(code="SYT", name="Sở Y tế")
    stc = DepartmentFactory(code="STC", name="Sở Tài chính")
    xa = DepartmentFactory(code="XA-TANAN", name="UBND xã Tân An", kind=DepartmentKind.UBND_XA)
    office = UserFactory(role=Role.OFFICE, username="office", full_name="Trần Thị Văn Phòng")
    UserFactory(role=Role.OFFICE, username="office2")
    leader = UserFactory(role=Role.LEADER, username="leader", full_name="Lê Văn Lãnh Đạo")
    UserFactory(role=Role.SCORING, username="scoring")
    head = UserFactory(role=Role.DEPARTMENT_HEAD, department=syt, username="syt_head")
    officer = UserFactory(role=Role.DEPARTMENT_OFFICER, department=syt, username="syt_officer")
    UserFactory(role=Role.DEPARTMENT_HEAD, department=stc, username="stc_head")
    UserFactory(role=Role.DEPARTMENT_OFFICER, department=stc, username="stc_officer")
    UserFactory(role=Role.DEPARTMENT_OFFICER, department=xa, username="xa_officer")

    first = DirectiveFactory(number="12/TB-UBND", title="Kết luận về công tác y tế cơ sở")
    second = DirectiveFactory(
        number="05/CT-UBND",
        kind="chi_thi",
        title="Chỉ thị về quản lý ngân sách",
        issued_on=dt.date(2026, 2, 10),
    )
    tasks = [
        TaskFactory(directive=first, lead_department=syt, coordinating_departments=[stc]),
        TaskFactory(directive=first, lead_department=stc, deadline=None, priority="urgent"),
        TaskFactory(directive=second, lead_department=stc, coordinating_departments=[syt, xa]),
        TaskFactory(directive=second, lead_department=xa, assigned_on=dt.date(2026, 2, 10)),
    ]
    task_update(
        task_id=tasks[0].pk,
        actor=office,
        data={"title": "Rà soát trạm y tế xã", "deadline": dt.date(2026, 5, 15)},
    )
    lifecycle.progress_report_create(task_id=tasks[0].pk, actor=head, note="Đã triển khai")
    stc_head = User.objects.get(username="stc_head")
    lifecycle.completion_report_create(
        task_id=tasks[2].pk, actor=stc_head, completed_on=dt.date(2026, 3, 20), result="Xong"
    )
    lifecycle.completion_accept(task_id=tasks[2].pk, actor=office)
    syt.head, syt.supervising_leader = head, leader
    syt.save(update_fields=["head", "supervising_leader"])
    return {
        "users": {"office": office, "department_officer": officer},
        "known": {
            "users": [u.pk for u in (office, leader, head, officer)],
            "departments": [d.pk for d in (syt, stc, xa)],
            "directives": [d.pk for d in (first, second)],
            "tasks": [t.pk for t in tasks],
            "commune": xa.pk,
            "office": office.pk,
            "leader": leader.pk,
            "head": head.pk,
        },
    }


# --- calling the app in-process ---------------------------------------------------------


@contextmanager
def rolled_back() -> Iterator[None]:
    """Runs the block in a savepoint and undoes whatever it wrote."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def shared_connection() -> Iterator[None]:
    """Lets requests to the WSGI handler run on the test's connection, in its transaction.

    A real request closes "obsolete" connections when it starts and finishes; inside the
    test's transaction that would close the connection under the test (Django's own test
    client disconnects the same handler for the same reason)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def dataset(db: None, shared_connection: None) -> Iterator[dict]:
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        data = seed()
        KNOWN.update(data["known"])
        yield data
        KNOWN.clear()


def authorization(user: object) -> dict[str, str]:
    _instance, token = token_issue(user=user)
    return {"Authorization": f"Token {token}"}


@pytest.fixture
def as_office(dataset: dict) -> dict[str, str]:
    return authorization(dataset["users"]["office"])


@pytest.fixture
def as_department_officer(dataset: dict) -> dict[str, str]:
    return authorization(dataset["users"]["department_officer"])


FUZZ_SETTINGS = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        # The dataset is a function-scoped fixture on purpose: each example rolls back its
        # writes, so every example of an operation sees the same data.
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)


def call_and_check(case: schemathesis.Case, headers: dict[str, str]) -> None:
    with rolled_back():
        made_realistic(case).call_and_validate(headers=headers, checks=CHECKS)


@pytest.mark.slow
@pytest.mark.django_db
@schema.parametrize()
@FUZZ_SETTINGS
def test_office_answers_conform_to_the_schema(case: schemathesis.Case, as_office: dict) -> None:
    call_and_check(case, as_office)


@pytest.mark.slow
@pytest.mark.django_db
@schema.parametrize()
@FUZZ_SETTINGS
def test_department_officer_answers_conform_to_the_schema(
    case: schemathesis.Case, as_department_officer: dict
) -> None:
    call_and_check(case, as_department_officer)


# --- inputs the fuzzer rarely draws ----------------------------------------------------

# Each once found a 500 or could: a digit that int() refuses, more digits than int() takes,
# a NUL byte the database cannot store, a lone surrogate UTF-8 cannot encode, a working-day
# count running past year 9999, dates that break a database constraint of a completed task.
HOSTILE = [
    ("post", "/api/v1/tasks/", {"lead_department": "²"}),
    ("post", "/api/v1/tasks/", {"lead_department": "1" * 5000}),
    ("post", "/api/v1/tasks/", {"lead_department": "\x00"}),
    ("post", "/api/v1/tasks/", {"lead_department": 10**30, "directive": 10**30}),
    ("post", "/api/v1/tasks/", {"lead_department": "SYT", "title": "\ud800"}),
    (
        "post",
        "/api/v1/tasks/",
        {"lead_department": "SYT", "assigned_on": "9999-12-30", "deadline_working_days": 5},
    ),
    ("post", "/api/v1/users/", {"username": "x", "role": "office", "department": [{}]}),
    ("post", "/api/v1/users/", {"username": "x\x00", "role": "office", "password": "\x00"}),
    ("patch", "/api/v1/tasks/{completed}/", {"assigned_on": "2026-04-01"}),
    ("patch", "/api/v1/tasks/{task}/", {"coordinating_departments": ["STC", "STC"]}),
    ("patch", "/api/v1/tasks/{task}/", {"lead_department": "STC"}),
    (
        "patch",
        "/api/v1/directives/{directive}/",
        {"issued_on": "2026-02-10", "number": "05/CT-UBND"},
    ),
    ("get", "/api/v1/tasks/?department=%C2%B2", None),
    ("get", "/api/v1/tasks/?department=" + "1" * 5000, None),
    ("get", "/api/v1/tasks/?lead_department=%00&q=%00&directive=" + "9" * 30, None),
    ("get", "/api/v1/tasks/?page=" + "9" * 5000, None),
    ("get", "/api/v1/tasks/?page_size=%C2%B2", None),
    ("get", "/api/v1/directives/?year=" + "9" * 30, None),
    ("get", "/api/v1/tasks/" + "9" * 30 + "/history/", None),
    ("get", "/api/v1/users/0.5/", None),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "url", "body"), HOSTILE)
def test_hostile_input_is_a_client_error(dataset: dict, method: str, url: str, body: dict | None):
    known = dataset["known"]
    url = url.format(
        task=known["tasks"][0], completed=known["tasks"][2], directive=known["directives"][0]
    )
    if body is not None and method == "post" and url == "/api/v1/tasks/":
        body = {"directive": known["directives"][0], "title": "Nhiệm vụ", **body}
    client = APIClient()
    client.credentials(
        **{"HTTP_AUTHORIZATION": authorization(dataset["users"]["office"])["Authorization"]}
    )
    if body is None:
        response = getattr(client, method)(url)
    else:
        # Encoded here: ASCII JSON carries even a lone surrogate (as `\\ud800`).
        response = getattr(client, method)(url, json.dumps(body), content_type="application/json")
    assert response.status_code in (400, 404), response.content[:500]
    assert response["Content-Type"] == "application/json", response.content[:500]
