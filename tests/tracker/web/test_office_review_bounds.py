"""The review queue lists the oldest few of each queue and counts the rest: an import may
leave a province's 200,000 completion reports awaiting acceptance."""

import pytest

from tests.web_world import World
from tracker.services import lifecycle
from tracker.web.office import review

pytestmark = pytest.mark.django_db


def test_the_queue_lists_the_oldest_and_counts_them_all(world: World, signed_in, monkeypatch):
    monkeypatch.setattr(review, "REVIEW_SHOWN", 1)
    newer = world.stc_task
    lifecycle.completion_report_create(
        task_id=newer.pk, actor=world.stc_head, completed_on=world.today, result="Đã xong."
    )
    response = signed_in(world.office).get("/review/")
    page = response.content.decode()
    assert response.context["reports_total"] == 2 and len(response.context["reports"]) == 1
    assert world.awaiting.title in page and newer.title not in page
    assert response.context["extensions_total"] == 1  # not cut: counted without a query
