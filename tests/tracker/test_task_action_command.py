"""`manage.py task_action` runs the same state machine as the API."""

import pytest
from django.core.management import CommandError, call_command

from tests.factories import TaskFactory
from tracker.models import TaskHistory, TaskHistoryAction, TaskStatus

pytestmark = pytest.mark.django_db


def test_pause_then_resume_from_the_command_line(office_user, capsys):
    task = TaskFactory()
    call_command("task_action", task.pk, "pause", reason="Chờ bố trí vốn", username="office")
    call_command("task_action", task.pk, "resume", reason="Đã có vốn")
    task.refresh_from_db()
    assert task.status == "in_progress"
    entries = TaskHistory.objects.filter(task=task, action=TaskHistoryAction.STATUS_CHANGED)
    assert [(e.new, e.actor_id) for e in entries.order_by("id")] == [
        ("paused", office_user.pk),
        ("in_progress", None),
    ]
    assert "in_progress" in capsys.readouterr().out


def test_refused_actions_fail_with_the_reason(officer):
    task = TaskFactory()
    with pytest.raises(CommandError) as refused:
        call_command("task_action", task.pk, "accept-completion")
    assert str(TaskStatus.ASSIGNED.label) in str(refused.value)  # names the state
    with pytest.raises(CommandError, match="reason"):
        call_command("task_action", task.pk, "cancel")
    with pytest.raises(CommandError):
        call_command("task_action", task.pk, "cancel", reason="x", username=officer.username)
    with pytest.raises(CommandError, match="No task"):
        call_command("task_action", 999999, "cancel", reason="x")
    task.refresh_from_db()
    assert task.status == "assigned"
