"""The inbox, the preferences and the failed deliveries in Debian's Chromium: marking a
message read updates the header's count without a reload; axe-core and the screenshots of
each page at both sizes."""

import re

import pytest

from notifications.models import Channel, Notification, NotificationStatus
from notifications.selectors import preferences_of
from tests.browser_harness import check_page
from tests.notifications.web.test_inbox_pages import deliver
from tests.web_world import World
from tracker.services.digest import digest_record

pytestmark = pytest.mark.django_db


def test_inbox_in_the_browser(live_world: World, open_page) -> None:
    me = live_world.syt_head
    digest_record()  # this morning's digest, with its links
    Notification.objects.filter(channel=Channel.INBOX).update(status=NotificationStatus.SENT)
    deliver(me, live_world.due_soon, number=1, read=True)
    deliver(me, live_world.overdue, number=2)
    newest = deliver(me, live_world.within, number=3)
    page = open_page(me)
    page.goto("/inbox/")
    assert page.locator("#unread-count").inner_text().startswith("3")
    check_page(page, "inbox")

    page.evaluate("window.notReloaded = true")
    page.locator(f"#message-{newest.pk}").get_by_role("button", name="Đánh dấu đã đọc").click()
    page.locator(f"#message-{newest.pk} .tag--read").wait_for()
    assert page.locator("#unread-count").inner_text().startswith("2")
    assert page.evaluate("window.notReloaded") is True  # no reload: htmx swapped
    # htmx focuses the swapped item (autofocus) when the swap settles, a moment after the
    # item shows: wait for it (failing if it never comes), rather than read it at once.
    page.wait_for_function(f"document.activeElement.id === 'message-{newest.pk}'", timeout=5000)
    check_page(page, "inbox-one-read")

    page.get_by_role("button", name="Đánh dấu tất cả là đã đọc").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#unread-count").inner_text().startswith("0")
    page.get_by_role("link", name=re.compile("Mở nhiệm vụ")).first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/tasks/{live_world.within.pk}/")


def test_preferences_in_the_browser(live_world: World, open_page) -> None:
    page = open_page(live_world.syt_head)
    page.goto("/inbox/preferences/")
    check_page(page, "preferences")

    page.get_by_role("group", name=re.compile("Nhắc việc")).get_by_label("Tin nhắn SMS").uncheck()
    page.get_by_role("button", name="Lưu tùy chọn").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Đã lưu tùy chọn nhận thông báo.").is_visible()
    assert preferences_of(live_world.syt_head)["reminder"] == ["inbox", "email"]
    check_page(page, "preferences-saved")


def test_failed_deliveries_in_the_browser(live_world: World, open_page) -> None:
    failed = deliver(
        live_world.syt_head,
        live_world.overdue,
        number=1,
        channel="email",
        status=NotificationStatus.FAILED,
    )
    page = open_page(live_world.office)
    page.goto("/deliveries/failed/")
    check_page(page, "failed-deliveries")

    page.locator(f"#delivery-{failed.pk}").get_by_role("button", name=re.compile("Gửi lại")).click()
    page.get_by_text("Đã gửi lại").wait_for()
    failed.refresh_from_db()
    assert failed.status == NotificationStatus.PENDING
    check_page(page, "failed-deliveries-sent-again")
