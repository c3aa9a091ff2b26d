"""Fixtures of the notifications pages' tests (tests/notifications/web/)."""

import pytest


@pytest.fixture(autouse=True)
def _broker(in_memory_broker: None) -> None:
    """Sending again enqueues the dispatch once committed (the browser tests commit): every
    test here uses the in-memory broker (tests/conftest.py)."""
