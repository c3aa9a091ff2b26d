"""The OpenAPI schema the schema tests share (test_schema_conformance.py,
test_schema_contract.py): loaded from the app itself at import, with the schemathesis hooks
that point generated requests at objects that exist."""

import re
import zlib

import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig
from schemathesis.config._checks import (
    NEGATIVE_DATA_REJECTION_EXPECTED_STATUSES,
    POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES,
)

from tests.factories import PASSWORD
from tracker.models import DEPARTMENT_ROLES

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


# What the server deliberately does that schemathesis' defaults would call a failure:
# - a string with a NUL character is refused (PostgreSQL cannot store it; a 400 naming the
#   field, test_schema_conformance.py's HOSTILE inputs), so none is generated;
# - a query parameter the operation does not declare is ignored, as HTTP APIs commonly do
#   (README, "The API"), so none is added to negative cases;
# - a stale If-Match answers 412 before the body is read (RFC 9110, 13.2.1: preconditions
#   are evaluated before the request content is processed), also for a bad body.
CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {"allow-x00": False, "allow-extra-parameters": False},
        "checks": {
            "negative_data_rejection": {
                "expected-statuses": [*NEGATIVE_DATA_REJECTION_EXPECTED_STATUSES, "412"]
            },
            # A stale If-Match is the resource's state, not the request's data (like 409).
            "positive_data_acceptance": {
                "expected-statuses": [*POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES, "412"]
            },
        },
    }
)


# Loaded from the app itself at import (schema generation touches no database); the
# operations are issue 2's, each one its own test. Positive and negative cases are drawn
# (schemathesis' default modes), so that every check has cases to judge.
schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, get_wsgi_application(), config=CONFIG).include(
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


def reference_options() -> dict[str, list]:
    """What each field naming an object may be, among objects that exist and fit together:
    a lead department that is not also coordinating, users of the role a field takes, one
    deadline after the assigned date. (`None` is no value in a form body, so optional
    references are sometimes left out instead.)"""
    return {
        "directive": KNOWN["directives"],
        "lead_department": ["SYT", "STC"],
        "coordinating_departments": [[], [KNOWN["commune"]]],
        "department": ["SYT", "STC", KNOWN["commune"]],
        "parent": [DROP, None, "SYT", KNOWN["commune"]],
        "head": [DROP, None, KNOWN["head"]],
        "supervising_leader": [DROP, None, KNOWN["leader"]],
        "follow_up_officer": [DROP, None, KNOWN["office"]],
        "assigned_on": [DROP, "2026-03-02"],
        "deadline": [DROP, None, "2026-12-31"],
        "deadline_working_days": [DROP],
    }


# --- positive cases: valid in what the schema cannot state too ----------------------------

FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def pick(options: list, *seed: object) -> object:
    """One of the options, the same for the same case (hypothesis replays examples)."""
    return options[zlib.crc32(repr(seed).encode()) % len(options)]


def known_body(body: dict, form: bool) -> dict:
    chosen = {
        name: pick(options, name, body)
        for name, options in reference_options().items()
        if name in body
    }
    if "coordinating_departments" in body and "lead_department" not in body:
        chosen["coordinating_departments"] = []  # the task's own lead may be any of them
    tasks = body.get("tasks")
    if isinstance(tasks, list) and all(isinstance(task, dict) for task in tasks):
        chosen["tasks"] = [known_body(task, form=False) for task in tasks]
    if "password" in body:
        chosen["password"] = PASSWORD  # the password validators refuse common ones
    if body.get("role") in DEPARTMENT_ROLES:
        chosen["department"] = pick(["SYT", "STC", KNOWN["commune"]], "role", body)
    # The server trims text (DRF's CharField): a value of white space alone is empty, which
    # minLength cannot say; a valid case's text has something in it.
    chosen |= {
        name: value.strip() or "Văn bản"
        for name, value in body.items()
        if name not in chosen and isinstance(value, str) and value and not value.strip()
    }
    merged = {k: v for k, v in {**body, **chosen}.items() if v is not DROP}
    # A form has no null: a field without a value is left out.
    return {k: v for k, v in merged.items() if v is not None} if form else merged


def known_query(query: dict) -> dict:
    """The filters name objects that exist, and an indicator's drill-down and its period
    come together, as their descriptions say (from, to, an as-of date within it)."""
    options = {
        "directive": KNOWN["directives"],
        "lead_department": ["SYT", "STC"],
        "department": ["SYT", "STC", str(KNOWN["commune"])],
    }
    chosen = {name: pick(values, name, query) for name, values in options.items() if name in query}
    if {"indicator", "from", "to", "as_of"} & set(query):
        chosen |= {"from": "2026-01-01", "to": "2026-12-31"}
        if "indicator" not in query:
            chosen["indicator"] = "assigned"  # a period is for an indicator's drill-down
        if "as_of" in query:
            chosen["as_of"] = "2026-03-31"  # within the period, not in the future
    return {**query, **chosen}


def made_realistic(case: schemathesis.Case) -> schemathesis.Case:
    """A request the schema calls valid (a positive case, of any phase) made valid in what
    the schema cannot state too: the objects it names exist and fit together, its password
    is not a common one, a form leaves out what it has no value for, a sign-in uses real
    credentials. So positive_data_acceptance holds the server to accepting it. Called just
    before the request, when the dataset exists (the coverage phase's cases are made at
    collection). Negative cases are left as drawn; schemathesis labels a case again after
    it changed."""
    case = _empty_parts_sent(case)
    meta = case.meta
    if not KNOWN or meta is None or not meta.generation.mode.is_positive:
        return case
    if isinstance(case.query, dict) and case.query:
        case.query = known_query(case.query)
    if case.operation.path == "/api/v1/auth/token/":
        case.body = {"username": "office", "password": PASSWORD}
    elif isinstance(case.body, dict):
        case.body = known_body(case.body, form=case.media_type in FORM_TYPES)
        _not_its_own_parent(case)
    return case


def _empty_parts_sent(case: schemathesis.Case) -> schemathesis.Case:
    """A form body the encoder cannot send as it is goes another way, so the server is
    never judged on a request it did not receive. A multipart body with an empty field goes
    as a urlencoded form, which Django reads the same way: Werkzeug, which encodes the
    in-process requests, writes an empty part without the line break before the next
    boundary, and Django's parser then drops the part."""
    body = case.body
    multipart = case.media_type == "multipart/form-data" and isinstance(body, dict)
    if multipart and any(value == "" for value in body.values()):
        case.media_type = "application/x-www-form-urlencoded"
    if case.media_type in FORM_TYPES and body is not None and not isinstance(body, dict):
        # A form of anything but fields (an array, a number) is encoded as no field at all,
        # an empty form the server rightly takes; sent as JSON, the server sees what it is.
        case.media_type = "application/json"
    return case


def _not_its_own_parent(case: schemathesis.Case) -> None:
    """A department edited is given no parent that is itself (a rule of the hierarchy the
    schema cannot state)."""
    if case.operation.path != "/api/v1/departments/{id}/" or not isinstance(case.body, dict):
        return
    own_id = (case.path_parameters or {}).get("id")
    syt, stc, commune = KNOWN["departments"]
    codes = {syt: "SYT", stc: "STC", commune: commune}
    if "parent" in case.body and case.body["parent"] in (own_id, codes.get(own_id)):
        del case.body["parent"]
