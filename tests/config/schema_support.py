"""The OpenAPI schema the schema tests share (test_schema_conformance.py,
test_schema_contract.py): loaded from the app itself at import, with the schemathesis hooks
that point generated requests at objects that exist."""

import re

import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import strategies as st

from tests.factories import PASSWORD

SCHEMA_URL = "/api/v1/schema/"


# Issue 2's endpoints: sign-in, users, departments, directives, tasks and their history.
# Later issues add task actions, extension requests, import, notifications, indicators...
ISSUE_2_PATH = re.compile(
    r"^/api/v1/(auth/token/"
    r"|users/(me/|\{id\}/)?"
    r"|departments/(\{id\}/)?"
    r"|directives/(\{id\}/)?"
    r"|tasks/(\{id\}/(history/)?)?)$"
)


# Loaded from the app itself at import (schema generation touches no database); the
# operations are issue 2's, each one its own test.
schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, get_wsgi_application()).include(
    path_regex=ISSUE_2_PATH.pattern
)


# Ids of the current test's dataset, for the hooks below.
KNOWN: dict = {}


DROP = object()  # a key to leave out of a body


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Half of the `{id}`s are ids that exist (random integers almost never are)."""
    resource = context.operation.path.split("/")[3]
    if not path_parameters or "id" not in path_parameters or not KNOWN.get(resource):
        return st.just(path_parameters)
    known = st.sampled_from(KNOWN[resource]).map(lambda pk: {**path_parameters, "id": pk})
    return st.one_of(st.just(path_parameters), known)


def with_known_references(body: dict) -> st.SearchStrategy:
    """The body with its references (and nested tasks' references) pointing at objects
    that exist and fit together: a lead department that is not also coordinating, users
    of the role a field takes, one deadline after the assigned date. (`None` is no value
    in a form body, so optional references are sometimes left out instead.)"""
    references = {
        "directive": st.sampled_from(KNOWN["directives"]),
        "lead_department": st.sampled_from(["SYT", "STC"]),
        "coordinating_departments": st.sampled_from([[], [KNOWN["commune"]]]),
        "department": st.sampled_from(["SYT", "STC", KNOWN["commune"]]),
        "parent": st.sampled_from([DROP, None, "SYT", KNOWN["commune"]]),
        "head": st.sampled_from([DROP, None, KNOWN["head"]]),
        "supervising_leader": st.sampled_from([DROP, None, KNOWN["leader"]]),
        "follow_up_officer": st.sampled_from([DROP, None, KNOWN["office"]]),
        "assigned_on": st.sampled_from([DROP, "2026-03-02"]),
        "deadline": st.sampled_from([DROP, None, "2026-12-31"]),
        "deadline_working_days": st.just(DROP),
    }
    present = {name: strategy for name, strategy in references.items() if name in body}
    tasks = body.get("tasks")
    if isinstance(tasks, list) and all(isinstance(task, dict) for task in tasks):
        present["tasks"] = st.tuples(*map(with_known_references, tasks)).map(list)
    return st.fixed_dictionaries(present).map(
        lambda refs: {k: v for k, v in {**body, **refs}.items() if v is not DROP}
    )


@schema.hook
def flatmap_body(context, body):
    """Now and then a generated body refers to objects that exist (or signs in with real
    credentials), so that writes get past validation and their 201/200 answers are
    checked too."""
    if not isinstance(body, dict) or not KNOWN:
        return st.just(body)
    if context.operation.path == "/api/v1/auth/token/":
        known = st.just({"username": "office", "password": PASSWORD})
    else:
        known = with_known_references(body)
    return st.one_of(st.just(body), known)
