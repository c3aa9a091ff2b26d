"""The task list's search box: the API's search (tests/tracker/test_task_search.py), without
diacritics, the best matches first, and a too short text named beside the field."""

import re

import pytest

from tests.factories import TaskFactory
from tests.web_world import World
from tracker.models import Task

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return re.findall(r'<a href="/tasks/\d+/">([^<]+)</a>', response.content.decode())


@pytest.mark.parametrize("text", ["thuc pham", "THỰC PHẨM", "an toan  thuc pham"])
def test_the_search_box_ignores_diacritics(world: World, signed_in, text):
    listed = titles(signed_in(world.syt_officer).get("/tasks/", {"q": text}))
    assert listed == [world.due_soon.title]


def test_the_best_matches_come_first_then_the_nearest_deadline(world: World, signed_in):
    by_content = Task.objects.get(pk=world.within.pk)
    by_content.content = "Kèm kiểm tra thiết bị bảo quản thực phẩm"
    by_content.save()
    later = TaskFactory(
        title="Thực phẩm chức năng: kiểm tra cơ sở bán lẻ",
        lead_department=world.syt,
        directive=world.due_soon.directive,
        assigned_on=world.due_soon.assigned_on,
        deadline=world.within.effective_deadline,
    )
    listed = titles(signed_in(world.syt_officer).get("/tasks/", {"q": "thuc pham"}))
    # In the titles first (by the deadline in force: due_soon's is the nearest), then in
    # the content.
    assert listed == [world.due_soon.title, later.title, world.within.title]


def test_a_too_short_search_is_named_beside_the_field(world: World, signed_in):
    response = signed_in(world.syt_officer).get("/tasks/", {"q": "đ"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nhập ít nhất 3 chữ cái hoặc chữ số để tìm kiếm." in page
    assert "<li>Tìm kiếm: Nhập ít nhất 3" in page  # the box's label, not the parameter's name
    field = re.search(r'<input[^>]*name="q"[^>]*>', page)
    assert field and 'aria-invalid="true"' in field[0] and 'id="id_q"' in field[0], page
    assert titles(response) == []
