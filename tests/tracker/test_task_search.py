"""Search (`q`) without diacritics (issue 12): "dat dai", "Đất Đai" and "đất  đai" find
"đất đai" in titles, contents, directive numbers, titles and summaries; ranked; within the
caller's scope; served by the trigram indexes (config/common/search.py)."""

import pytest

from tests.conftest import client_for
from tests.factories import DirectiveFactory, TaskFactory
from tests.query_plans import bitmap_plan
from tracker.models import Department, Task, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def found(department: Department, other_department: Department) -> dict[str, Task]:
    """One task found by its title, one by its content, one by its directive; others not."""
    about = DirectiveFactory(
        number="45/CT-UBND", title="Về cải cách hành chính", summary="Giao QUẢN LÝ ĐẤT ĐAI"
    )
    plain = DirectiveFactory(number="46/CT-UBND", title="Về du lịch", summary="")
    return {
        "title": TaskFactory(
            directive=plain, title="Rà soát quản lý Đất Đai", lead_department=department
        ),
        "content": TaskFactory(
            directive=plain,
            title="Báo cáo tháng",
            content="Kiểm tra việc sử dụng đất  đai công",
            lead_department=department,
        ),
        "directive": TaskFactory(directive=about, title="Việc khác", lead_department=department),
        "elsewhere": TaskFactory(
            directive=plain, title="Đất đai ở huyện", lead_department=other_department
        ),
        "unrelated": TaskFactory(directive=plain, title="Du lịch cộng đồng"),
    }


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [task["id"] for task in response.json()["results"]]


@pytest.mark.parametrize("text", ["dat dai", "Đất Đai", "đất  đai", "DAT DAI", "đất đai"])
def test_search_ignores_diacritics_case_and_spaces(found, office_user, text):
    got = ids(client_for(office_user).get("/api/v1/tasks/", {"q": text}))
    expected = [found[key].pk for key in ("title", "elsewhere", "content", "directive")]
    assert sorted(got) == sorted(expected)


def test_results_are_ranked_title_then_content_then_directive(found, office_user):
    got = ids(client_for(office_user).get("/api/v1/tasks/", {"q": "dat dai"}))
    ranks = {found["title"].pk: 0, found["elsewhere"].pk: 0, found["content"].pk: 1}
    assert [ranks.get(pk, 2) for pk in got] == [0, 0, 1, 2]
    assert got[-1] == found["directive"].pk


def test_an_ordering_replaces_the_rank(found, office_user):
    got = ids(client_for(office_user).get("/api/v1/tasks/", {"q": "dat dai", "ordering": "id"}))
    assert got == sorted(got)


@pytest.mark.parametrize("text", ["45/ct", "46/CT-UBND", "cai cach hanh chinh"])
def test_directive_numbers_and_titles_are_searched(found, office_user, text):
    got = ids(client_for(office_user).get("/api/v1/tasks/", {"q": text}))
    directive = found["directive"].directive_id
    assert got and all(Task.objects.get(pk=pk).directive_id != directive for pk in got) == (
        text == "46/CT-UBND"
    )


def test_percent_and_underscore_are_plain_characters(found, office_user):
    TaskFactory(title="Tỷ lệ 100% hộ dân", lead_department=found["title"].lead_department)
    got = ids(client_for(office_user).get("/api/v1/tasks/", {"q": "100%"}))
    assert len(got) == 1
    # Were "_" a wildcard, "100_" would find "100%".
    assert ids(client_for(office_user).get("/api/v1/tasks/", {"q": "100_"})) == []


def test_a_department_finds_only_its_own_tasks(found, officer: User):
    got = ids(client_for(officer).get("/api/v1/tasks/", {"q": "dat dai"}))
    assert sorted(got) == sorted(found[key].pk for key in ("title", "content", "directive"))


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Enter at least 3 letters or digits to search."),
        ("vi", "Nhập ít nhất 3 chữ cái hoặc chữ số để tìm kiếm."),
    ],
)
@pytest.mark.parametrize("text", ["đ", "a b", "%%%%", ".."])
def test_a_search_needs_three_letters_or_digits(office_user, language, message, text):
    response = client_for(office_user, language).get("/api/v1/tasks/", {"q": text})
    assert response.status_code == 400, response.content
    assert response.json()["q"] == [message]


def test_the_search_is_served_by_the_trigram_indexes(found):
    from tracker.selectors.tasks import task_search_filter

    plan = bitmap_plan(Task.objects.filter(task_search_filter("dat dai")))
    for index in ("task_search_title_idx", "task_search_content_idx", "task_directive_idx"):
        assert f"Index Scan on {index}" in plan, plan
    assert "directive_search_text_idx" in plan, plan
    assert "Seq Scan" not in plan, plan


def test_a_departments_scope_is_served_by_indexes(found, department):
    from tracker.selectors.tasks import department_task_filter

    plan = bitmap_plan(Task.objects.filter(department_task_filter(department.pk)))
    assert "Seq Scan" not in plan, plan
    assert "BitmapOr" in plan, plan
