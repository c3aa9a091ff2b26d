"""Fixtures of tracker's tests (tests/tracker/ and tests/tracker/web/): the indicator
stories' clock and the builder that makes tasks at the dates of their stories
(tests/tracker/indicator_support.py)."""

from pathlib import Path

import pytest

from tests.tracker.indicator_support import Builder, Clock
from tracker.models import User


@pytest.fixture
def story_clock(settings: object, tmp_path: Path) -> Clock:
    """The clock every process reads, resting on the indicator tests' today (2026-11-21)."""
    settings.CLOCK_FILE = str(tmp_path / "story-clock")
    return Clock(tmp_path / "story-clock")


@pytest.fixture
def builder(story_clock: Clock, office_user: User) -> Builder:
    """Builds tasks through the lifecycle services at the dates of their stories."""
    return Builder(story_clock, office_user)
