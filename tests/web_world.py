"""The web pages' test world and browser fixtures, shared by the web tests of every app
(tests/<app>/web/ and tests/config/web/); tests/conftest.py loads this module as a pytest
plugin. The world: a small province with every role and tasks in every state (built through
the services), Django's test client signed in as any of them (`world`, `signed_in`), and the
same world committed for the live server (`live_world`). The browser: Debian's Chromium
driven by Playwright against pytest-django's live server (`browser`, `open_page`); the
harness it uses (paths, axe-core, screenshots, signing in) is tests/browser_harness.py."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from django.conf import settings
from django.test import Client

from tests.browser_harness import AXE_SCRIPT, CHROMIUM, CHROMIUM_ARGS, CSP_LISTENER, VIEWPORTS
from tests.factories import DepartmentFactory, DirectiveFactory, TaskFactory, UserFactory
from tracker.models import Department, DepartmentKind, ExtensionRequest, Role, Task, User
from tracker.selectors.calendar import add_working_days
from tracker.selectors.tasks import local_today
from tracker.services import lifecycle
from tracker.services.departments import department_update

# Playwright's synchronous API runs an event loop in this thread; the ORM calls the tests
# make between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@dataclass
class World:
    today: date
    office_department: Department
    syt: Department
    stc: Department
    office: User
    director: User
    chairman: User
    vice_chairman: User
    scoring: User
    syt_head: User
    syt_officer: User
    stc_head: User
    stc_officer: User
    within: Task  # SYT leads, STC coordinates; a pending extension request
    overdue: Task
    due_soon: Task  # in progress
    awaiting: Task  # a pending completion report
    stc_task: Task  # STC leads
    no_deadline: Task
    completed: Task
    paused: Task
    extension: ExtensionRequest

    def users(self) -> list[User]:
        return [
            self.office,
            self.director,
            self.chairman,
            self.vice_chairman,
            self.scoring,
            self.syt_head,
            self.syt_officer,
            self.stc_head,
            self.stc_officer,
        ]


def build_world() -> World:
    today = local_today()

    def working_days(n: int) -> date:
        return add_working_days(today, n)

    office_department = DepartmentFactory(
        code=settings.OFFICE_DEPARTMENT_CODE, name="Văn phòng UBND tỉnh", kind=DepartmentKind.KHAC
    )
    syt = DepartmentFactory(code="SYT", name="Sở Y tế")
    stc = DepartmentFactory(code="STC", name="Sở Tài chính")
    office = UserFactory(
        username="vanphong", full_name="Trần Thị Theo Dõi", department=office_department
    )
    director = UserFactory(
        username="chanhvp", full_name="Lê Văn Chánh", department=office_department
    )
    chairman = UserFactory(username="chutich", full_name="Nguyễn Văn An", role=Role.LEADER)
    vice = UserFactory(username="pct", full_name="Phạm Thị Bình", role=Role.LEADER)
    scoring = UserFactory(username="sonoivu", full_name="Hoàng Văn Nội", role=Role.SCORING)
    syt_head = UserFactory(
        username="syt_head", full_name="Đỗ Thị Giám Đốc", role=Role.DEPARTMENT_HEAD, department=syt
    )
    syt_officer = UserFactory(
        username="syt_officer",
        full_name="Vũ Văn Chuyên",
        role=Role.DEPARTMENT_OFFICER,
        department=syt,
    )
    stc_head = UserFactory(
        username="stc_head", full_name="Bùi Văn Trưởng", role=Role.DEPARTMENT_HEAD, department=stc
    )
    stc_officer = UserFactory(
        username="stc_officer",
        full_name="Ngô Thị Tài",
        role=Role.DEPARTMENT_OFFICER,
        department=stc,
    )
    department_update(department=office_department, data={"head": director})
    department_update(department=syt, data={"head": syt_head, "supervising_leader": vice})
    department_update(department=stc, data={"head": stc_head, "supervising_leader": chairman})
    directive = DirectiveFactory(
        number="12/TB-UBND",
        title="Kết luận của Chủ tịch UBND tỉnh tại phiên họp thường kỳ",
        issued_on=working_days(-30),
        signer=chairman.full_name,
    )
    common = {"directive": directive, "follow_up_officer": office}

    def task(title: str, lead: Department, assigned: int, deadline: int | None, **extra) -> Task:
        return TaskFactory(
            title=title,
            lead_department=lead,
            assigned_on=working_days(assigned),
            deadline=working_days(deadline) if deadline is not None else None,
            supervising_leader=lead.supervising_leader,
            **common,
            **extra,
        )

    within = task(
        "Rà soát trang thiết bị y tế tuyến xã", syt, -10, 10, coordinating_departments=[stc]
    )
    overdue = task("Báo cáo tình hình dịch sốt xuất huyết", syt, -20, -2)
    due_soon = task("Kiểm tra an toàn thực phẩm bếp ăn tập thể", syt, -10, 2)
    awaiting = task("Tổng hợp danh sách trạm y tế xuống cấp", syt, -15, 5)
    stc_task = task("Bố trí kinh phí sửa chữa trạm y tế", stc, -10, 8)
    no_deadline = task("Theo dõi thường xuyên giá thuốc", syt, -5, None)
    completed = task("Ban hành kế hoạch tiêm chủng mở rộng", syt, -25, -5)
    paused = task("Xây dựng đề án bệnh viện vệ tinh", stc, -25, 10)

    lifecycle.progress_report_create(
        task_id=due_soon.pk, actor=syt_officer, note="Đã kiểm tra 12/20 bếp ăn.", percent=60
    )
    lifecycle.completion_report_create(
        task_id=awaiting.pk,
        actor=syt_officer,
        completed_on=today,
        result="Đã tổng hợp 37 trạm y tế xuống cấp, gửi kèm danh sách.",
    )
    lifecycle.completion_report_create(
        task_id=completed.pk,
        actor=syt_head,
        completed_on=working_days(-6),
        result="Kế hoạch số 45/KH-SYT đã ban hành.",
    )
    lifecycle.completion_accept(task_id=completed.pk, actor=office)
    lifecycle.task_pause(task_id=paused.pk, actor=director, reason="Chờ quy hoạch mạng lưới.")
    extension = lifecycle.extension_request_create(
        task_id=within.pk,
        actor=syt_officer,
        requested_deadline=working_days(20),
        reason="Cần thêm thời gian khảo sát các xã miền núi.",
    )
    return World(
        today=today,
        office_department=office_department,
        syt=syt,
        stc=stc,
        office=office,
        director=director,
        chairman=chairman,
        vice_chairman=vice,
        scoring=scoring,
        syt_head=syt_head,
        syt_officer=syt_officer,
        stc_head=stc_head,
        stc_officer=stc_officer,
        within=within,
        overdue=overdue,
        due_soon=due_soon,
        awaiting=awaiting,
        stc_task=stc_task,
        no_deadline=no_deadline,
        completed=completed,
        paused=paused,
        extension=extension,
    )


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def signed_in() -> Callable[[User], Client]:
    """Django's test client with the user's session (the browser tests sign in for real)."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


# --- the browser ---------------------------------------------------------------------------


def _require_browser() -> None:
    missing = [str(p) for p in (AXE_SCRIPT,) if not p.exists()]
    if not os.path.exists(CHROMIUM):
        missing.append(CHROMIUM)
    if not missing:
        return
    reason = f"browser tests need {', '.join(missing)} (bash .ci/browser.sh installs them)"
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser: object, live_server: object) -> Iterator[Callable[..., object]]:
    """`open_page(user)`: a new browser tab at desktop size, signed in as the user by their
    session cookie (None: signed out). Each tab has its own cookies."""
    contexts = []

    def make(user: User | None = None, language: str = "vi") -> object:
        context = browser.new_context(  # type: ignore[attr-defined]
            base_url=live_server.url,  # type: ignore[attr-defined]
            viewport=VIEWPORTS["desktop"],
            locale="vi-VN" if language == "vi" else "en-US",
            timezone_id="Asia/Ho_Chi_Minh",
        )
        context.set_default_timeout(15_000)
        context.add_init_script(CSP_LISTENER)
        contexts.append(context)
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            context.add_cookies(
                [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]  # type: ignore[attr-defined]
            )
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def live_world(transactional_db: None) -> World:
    """The world, committed, for the live server's thread to see."""
    return build_world()
