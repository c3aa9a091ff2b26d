"""What the scoring rule tests share (test_scoring_rules_api.py,
test_scoring_rules_updates.py): the URL and a rule's payload."""

from typing import Any

import pytest
from django.test import Client

from tests.conftest import client_for
from tracker.models import User

URL = "/api/v1/scoring-rules/"


def payload(**overrides: Any) -> dict[str, Any]:
    rule = {
        "code": "TEST-7",
        "name": "Quy tắc thử nghiệm",
        "year": 2031,
        "metric": "on_time_rate",
        "max_points": 7.5,
        "bands": [
            {"min_rate": 0.5, "points": 2},
            {"min_rate": 1, "points": 7.5, "strict": False},
            {"min_rate": 0.8, "points": 5.0, "strict": True},
        ],
        "when_no_tasks": "full",
    }
    return {**rule, **overrides}


@pytest.fixture
def office(office_user: User) -> Client:
    return client_for(office_user)
