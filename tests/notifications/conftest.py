"""Fixtures of the notification API tests: a task to notify about."""

import pytest

from tests.factories import TaskFactory
from tracker.models import Task


@pytest.fixture
def task() -> Task:
    return TaskFactory()
