"""The task state machine through the API (DOMAIN.md "Task states", API.md rows for the
task actions): every action × every starting state × every caller, and the effect of each
action that succeeds.

Status codes (API.md): 401 without credentials; 404 for a task the caller may not see;
403 for an action not theirs (judged before the state); 409 for an action the state does
not allow; 400 for bad input, naming the field.

Each starting state is built through the lifecycle services, never by writing `status`.
Dates are relative to today's local date (Asia/Ho_Chi_Minh), so the tests hold on any day.
The world and the helpers are in tests/tracker/lifecycle_support.py."""

from typing import Any

import pytest

from tests.tracker import lifecycle_support
from tests.tracker.lifecycle_support import (
    BUILD_RESULT,
    STATE_LABELS,
    body,
    new_history,
    snapshot,
    url,
)
from tracker.models import CompletionReport, ExtensionRequest, ProgressReport, Task

pytestmark = pytest.mark.django_db


world = lifecycle_support.world


ACTIONS = (
    "progress",
    "report-completion",
    "accept-completion",
    "return",
    "pause",
    "resume",
    "cancel",
    "extension-requests",
)


STATES = ("assigned", "in_progress", "awaiting_acceptance", "completed", "paused", "cancelled")


CALLERS = (
    "office",
    "superuser",
    "leader",
    "supervising_leader",
    "lead_officer",
    "lead_head",
    "coordinating_officer",
    "unrelated_officer",
    "scoring",
    "anonymous",
)


# What a caller who may see the task gets, by the action and the task's state before it:
#   AS IP AA CO PA CA   the action succeeds and leaves the task in that state: assigned,
#                       in_progress, awaiting_acceptance, completed, paused, cancelled
#   =                   the action succeeds and the state does not change
#   409                 the task's state does not allow the action
#   403                 the action is not the caller's (judged before the state)
# Kinds of caller: office = the office role or a superuser; lead = an officer or the head of
# the lead department; coordinating = an officer of a coordinating department; leader = a
# provincial leader who does not supervise the task; supervisor = its supervising leader.
MATRIX = """
action             kind          AS    IP    AA    CO    PA    CA
progress           office        403   403   403   403   403   403
progress           lead          IP    =     =     409   409   409
progress           coordinating  =     =     =     409   409   409
progress           leader        403   403   403   403   403   403
progress           supervisor    403   403   403   403   403   403
report-completion  office        403   403   403   403   403   403
report-completion  lead          AA    AA    409   409   409   409
report-completion  coordinating  403   403   403   403   403   403
report-completion  leader        403   403   403   403   403   403
report-completion  supervisor    403   403   403   403   403   403
accept-completion  office        409   409   CO    409   409   409
accept-completion  lead          403   403   403   403   403   403
accept-completion  coordinating  403   403   403   403   403   403
accept-completion  leader        403   403   403   403   403   403
accept-completion  supervisor    403   403   403   403   403   403
return             office        409   409   IP    409   409   409
return             lead          403   403   403   403   403   403
return             coordinating  403   403   403   403   403   403
return             leader        403   403   403   403   403   403
return             supervisor    403   403   403   403   403   403
pause              office        PA    PA    PA    409   409   409
pause              lead          403   403   403   403   403   403
pause              coordinating  403   403   403   403   403   403
pause              leader        403   403   403   403   403   403
pause              supervisor    403   403   403   403   403   403
resume             office        409   409   409   409   IP    409
resume             lead          403   403   403   403   403   403
resume             coordinating  403   403   403   403   403   403
resume             leader        403   403   403   403   403   403
resume             supervisor    403   403   403   403   403   403
cancel             office        CA    CA    CA    409   CA    409
cancel             lead          403   403   403   403   403   403
cancel             coordinating  403   403   403   403   403   403
cancel             leader        403   403   403   403   403   403
cancel             supervisor    403   403   403   403   403   403
extension-requests office        403   403   403   403   403   403
extension-requests lead          =     =     409   409   409   409
extension-requests coordinating  403   403   403   403   403   403
extension-requests leader        403   403   403   403   403   403
extension-requests supervisor    403   403   403   403   403   403
"""


KIND = {
    "office": "office",
    "superuser": "office",
    "leader": "leader",
    "supervising_leader": "supervisor",
    "lead_officer": "lead",
    "lead_head": "lead",
    "coordinating_officer": "coordinating",
}


# Callers answered the same whatever the action and the state.
OUTSIDERS = {"unrelated_officer": 404, "scoring": 403, "anonymous": 401}


SUCCESS_STATUS = {"progress": 201, "extension-requests": 201}  # the others: 200


STATE_CODES = {
    "AS": "assigned",
    "IP": "in_progress",
    "AA": "awaiting_acceptance",
    "CO": "completed",
    "PA": "paused",
    "CA": "cancelled",
}


def _parse_matrix() -> dict[tuple[str, str], dict[str, str]]:
    header, *rows = (line.split() for line in MATRIX.strip().splitlines())
    assert header[:2] == ["action", "kind"]
    assert tuple(STATE_CODES[code] for code in header[2:]) == STATES
    table: dict[tuple[str, str], dict[str, str]] = {}
    for row in rows:
        assert len(row) == len(header), row
        key = (row[0], row[1])
        assert key not in table, key
        cells = [STATE_CODES.get(cell, cell) for cell in row[2:]]
        table[key] = dict(zip(STATES, cells, strict=True))
    return table


EXPECTED = _parse_matrix()


def expected_outcome(action: str, state: str, caller: str) -> str | int:
    if caller in OUTSIDERS:
        return OUTSIDERS[caller]
    cell = EXPECTED[(action, KIND[caller])][state]
    return int(cell) if cell.isdigit() else cell


def test_the_matrix_covers_every_action_and_kind_of_caller_once():
    assert set(EXPECTED) == {(a, k) for a in ACTIONS for k in set(KIND.values())}
    assert set(KIND) | set(OUTSIDERS) == set(CALLERS)


def history_reason(action: str, sent: dict[str, Any]) -> str:
    """What the history entry of a transition gives as its reason."""
    if action == "progress":
        return sent["note"]
    if action == "report-completion":
        return sent["result"]
    if action == "accept-completion":
        return BUILD_RESULT  # the accepted report's result
    return sent["reason"]


# --- the matrix --------------------------------------------------------------------------


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ACTIONS)
def test_action_by_state_by_caller(world, action, state, caller):
    task = world.task(state)
    before = snapshot(task)
    sent = body(action, world.today)
    expected = expected_outcome(action, state, caller)

    response = world.client(caller).post(url(task, action), sent, format="json")

    if isinstance(expected, int):
        assert response.status_code == expected, response.data
        assert snapshot(task) == before  # nothing changed, no history entry
        assert response.data["detail"]
        if expected == 409:
            assert STATE_LABELS[state] in str(response.data["detail"])
        return

    assert response.status_code == SUCCESS_STATUS.get(action, 200), response.data
    target = state if expected == "=" else expected
    fresh = Task.objects.get(pk=task.pk)
    assert fresh.status == target
    user = world.users[caller]
    if target == state:
        assert new_history(task, before) == []
        assert fresh.version == before["version"]
    else:
        assert new_history(task, before) == [
            (user.username, "status_changed", "status", state, target, history_reason(action, sent))
        ]
        assert fresh.version == before["version"] + 1
    if action not in SUCCESS_STATUS:
        assert response.data["status"] == target
        assert response["ETag"] == fresh.etag
    assert fresh.effective_deadline == before["effective_deadline"]
    assert fresh.original_deadline == before["original_deadline"]
    _assert_effect(action, state, task, fresh, before, user, sent, response)


def _assert_effect(action, state, task, fresh, before, user, sent, response) -> None:
    """What the successful action left besides the state."""
    completion = list(CompletionReport.objects.filter(task=task).order_by("id"))
    build_report = completion[0] if before["completion"] else None
    extension_after = list(
        ExtensionRequest.objects.filter(task=task).order_by("id").values_list("id", "status")
    )
    if action != "extension-requests":
        assert extension_after == before["extension"]
    if action != "progress":
        assert (
            list(ProgressReport.objects.filter(task=task).values_list("id", flat=True))
            == (before["progress"])
        )

    if action == "progress":
        report = ProgressReport.objects.exclude(id__in=before["progress"]).get(task=task)
        assert (report.author, report.department_id) == (user, user.department_id)
        assert (report.note, report.percent) == (sent["note"], sent["percent"])
        assert response.data["id"] == report.pk
    elif action == "report-completion":
        assert [c.status for c in completion] == ["pending"]
        report = completion[0]
        assert (report.author, report.department_id) == (user, task.lead_department_id)
        assert report.completed_on.isoformat() == sent["completed_on"]
        assert fresh.completed_on is None
    elif action == "accept-completion":
        build_report.refresh_from_db()
        assert (build_report.status, build_report.decided_by) == ("accepted", user)
        assert fresh.completed_on == build_report.completed_on
        assert response.data["completed_on"] == build_report.completed_on.isoformat()
    elif action == "return":
        assert (build_report.status, build_report.decided_by) == ("returned", user)
        assert build_report.decision_reason == sent["reason"]
        assert fresh.completed_on is None
    elif action in ("pause", "cancel") and state == "awaiting_acceptance":
        # Leaving the open states closes the pending completion report: it does not count.
        assert (build_report.status, build_report.decided_by) == ("returned", user)
        assert fresh.completed_on is None
    elif action == "extension-requests":
        extension = ExtensionRequest.objects.get(task=task)
        assert response.data["id"] == extension.pk
        assert response.data["status"] == "pending"
        assert (extension.author, extension.requested_deadline.isoformat()) == (
            user,
            sent["requested_deadline"],
        )
    else:
        assert [(c.id, c.status) for c in completion] == before["completion"]
