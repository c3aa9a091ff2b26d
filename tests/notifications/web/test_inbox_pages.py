"""The inbox of every signed-in user (mark one or all read, the header's count), their
notification preferences, the office's failed deliveries (send again, a 409 explained), and
the links of the messages, which open the task's web page by its short route."""

import datetime as dt
import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.test import Client
from django.utils import timezone

from notifications.models import Channel, Notification, NotificationKind, NotificationStatus
from notifications.selectors import DEFAULT_CHANNELS, preferences_of
from tests.conftest import client_for
from tests.notification_rows import reminder_fields
from tests.web_world import World
from tracker.models import ReminderPolicy, ReminderStep, Task, User
from tracker.services.digest import digest_record
from tracker.services.reminder_messages import task_link
from tracker.services.users import user_update

pytestmark = pytest.mark.django_db

START = timezone.make_aware(dt.datetime(2026, 4, 1, 8, 0))
SITE_URL = "https://dondoc.binhan.gov.vn"


def due_today_step() -> ReminderStep:
    """The default policy's "due today" step (installed again if a transactional test
    flushed the migration's rows)."""
    if not ReminderPolicy.objects.filter(priority="", active=True).exists():
        migration = importlib.import_module("tracker.migrations.0005_default_reminder_policy")
        migration.install(django_apps, None)
    return ReminderStep.objects.get(code="due_today", policy__priority="")


def deliver(
    recipient: User,
    task: Task,
    *,
    number: int,
    body: str | None = None,
    channel: str = Channel.INBOX,
    status: str = NotificationStatus.SENT,
    read: bool = False,
) -> Notification:
    """A "due today" reminder as delivery leaves it; `number` is its occurrence (the unique
    key) and its age: higher is newer, one minute apart."""
    moment = START + dt.timedelta(minutes=number)
    failed = status == NotificationStatus.FAILED
    notification = Notification.objects.create(
        kind=NotificationKind.REMINDER,
        **reminder_fields(
            task,
            due_today_step(),
            occurrence=number,
            deadline=task.effective_deadline or START.date(),
        ),
        recipient=recipient,
        channel=channel,
        language=recipient.language,
        subject=f"[Đôn đốc] Nhắc việc số {number}" if channel == Channel.EMAIL else "",
        body=body or f"Nhắc việc số {number}: {task.title}",
        status=status,
        send_after=moment,
        sent_at=moment if status == NotificationStatus.SENT else None,
        attempts=5 if failed else 1,
        last_error="SMTP 550: mailbox unavailable" if failed else "",
        read_at=moment if read else None,
    )
    Notification.objects.filter(pk=notification.pk).update(created_at=moment)
    notification.refresh_from_db()
    return notification


def text(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def badge(page: str) -> str:
    """The header's unread count, as the layout writes it."""
    match = re.search(r'<span id="unread-count"[^>]*>(\d+)', page)
    assert match, page[:3000]
    return match.group(1)


# --- the inbox -----------------------------------------------------------------------------


def test_inbox_lists_only_the_users_delivered_inbox_messages_newest_first(
    world: World, signed_in
) -> None:
    me, task = world.syt_officer, world.overdue
    older = deliver(me, task, number=1, read=True)
    newer = deliver(me, task, number=2)
    deliver(me, task, number=3, channel=Channel.EMAIL)
    deliver(me, task, number=4, status=NotificationStatus.PENDING)
    deliver(me, task, number=5, status=NotificationStatus.FAILED)
    deliver(world.syt_head, task, number=6)

    page = text(signed_in(me).get("/inbox/"))

    assert page.index("Nhắc việc số 2") < page.index("Nhắc việc số 1")
    for hidden in (3, 4, 5, 6):
        assert f"Nhắc việc số {hidden}" not in page
    assert "2 thông báo" in page
    # Local time (08:02 in Asia/Ho_Chi_Minh), kind in words, unread in words.
    assert "01/04/2026 08:02" in page and "01/04/2026 08:01" in page
    assert "Nhắc việc</span>" in page
    item = page[page.index(f'id="message-{newer.pk}"') : page.index(f'id="message-{older.pk}"')]
    assert "Chưa đọc" in item and "inbox-item--unread" in item
    assert f'href="/tasks/{task.pk}/"' in item and "Mở nhiệm vụ" in item
    assert "Đánh dấu đã đọc" in item
    assert "Đã đọc" in page[page.index(f'id="message-{older.pk}"') :]
    assert badge(page) == "1"


def test_the_unread_filter_shows_the_unread_messages_only(world: World, signed_in) -> None:
    me = world.syt_officer
    deliver(me, world.overdue, number=1, read=True)
    deliver(me, world.overdue, number=2)

    page = text(signed_in(me).get("/inbox/?show=unread"))

    assert "Nhắc việc số 2" in page and "Nhắc việc số 1" not in page
    assert "1 thông báo chưa đọc" in page


def test_the_inbox_is_paginated(world: World, signed_in) -> None:
    for number in range(1, 26):
        deliver(world.syt_officer, world.overdue, number=number)
    client = signed_in(world.syt_officer)

    first, second = text(client.get("/inbox/")), text(client.get("/inbox/?page=2"))

    assert "Nhắc việc số 25:" in first and "Nhắc việc số 6:" in first
    assert "Nhắc việc số 5:" not in first
    assert "Nhắc việc số 5:" in second and "Nhắc việc số 1:" in second
    assert 'href="?page=1"' in second and 'href="?page=2"' in first


def test_marking_one_read_with_htmx_answers_the_message_and_the_header_count(
    world: World, signed_in
) -> None:
    me = world.syt_officer
    first = deliver(me, world.overdue, number=1)
    deliver(me, world.overdue, number=2)
    client = signed_in(me)

    response = client.post(f"/inbox/{first.pk}/read/", HTTP_HX_REQUEST="true")

    fragment = text(response)
    assert response.status_code == 200
    assert "<html" not in fragment
    assert f'id="message-{first.pk}"' in fragment and "Đã đọc" in fragment
    assert "Đánh dấu đã đọc" not in fragment
    # The header's badge, swapped out of band with the new count.
    assert re.search(r'<span id="unread-count"[^>]*hx-swap-oob="true"[^>]*>1<', fragment)
    first.refresh_from_db()
    assert first.read_at is not None
    assert badge(text(client.get("/inbox/"))) == "1"


def test_marking_one_read_without_javascript_goes_back(world: World, signed_in) -> None:
    me = world.syt_officer
    message = deliver(me, world.overdue, number=1)

    response = signed_in(me).post(f"/inbox/{message.pk}/read/", {"next": "/inbox/?show=unread"})

    assert response.status_code == 302 and response["Location"] == "/inbox/?show=unread"
    message.refresh_from_db()
    assert message.read_at is not None
    outside = signed_in(me).post(f"/inbox/{message.pk}/read/", {"next": "https://evil.example/"})
    assert outside["Location"] == "/inbox/"


def test_nobody_marks_a_message_that_is_not_in_their_inbox(world: World, signed_in) -> None:
    theirs = deliver(world.syt_head, world.overdue, number=1)
    email = deliver(world.syt_officer, world.overdue, number=2, channel=Channel.EMAIL)
    client = signed_in(world.syt_officer)

    assert client.post(f"/inbox/{theirs.pk}/read/").status_code == 404
    assert client.post(f"/inbox/{email.pk}/read/").status_code == 404
    assert client.get(f"/inbox/{theirs.pk}/read/").status_code == 405
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_and_the_next_page_shows_no_unread(world: World, signed_in) -> None:
    me = world.syt_officer
    for number in (1, 2, 3):
        deliver(me, world.overdue, number=number)
    other = deliver(world.syt_head, world.overdue, number=4)
    client = signed_in(me)
    assert badge(text(client.get("/tasks/"))) == "3"

    response = client.post("/inbox/read-all/", {"next": "/inbox/"})

    assert response.status_code == 302 and response["Location"] == "/inbox/"
    page = text(client.get("/inbox/"))
    assert "Đã đánh dấu 3 thông báo là đã đọc." in page
    assert badge(page) == "0" and "badge--zero" in page
    assert "Đánh dấu tất cả là đã đọc" not in page
    other.refresh_from_db()
    assert other.read_at is None  # someone else's inbox is left alone


def test_a_digest_in_the_inbox_links_each_of_its_tasks(world: World, signed_in, settings) -> None:
    settings.SITE_URL = SITE_URL + "/"
    digest_record()  # this morning's digest of the head of Sở Y tế: pending rows
    Notification.objects.filter(channel=Channel.INBOX).update(status=NotificationStatus.SENT)

    page = text(signed_in(world.syt_head).get("/inbox/"))

    assert "Bản tin buổi sáng" in page
    for task in (world.overdue, world.due_soon):
        assert f'href="{SITE_URL}/t/{task.pk}/"' in page
    assert "/api/" not in page.split("<main", 1)[1]
    assert "Mở nhiệm vụ" not in page  # a digest is about several tasks: its text links them


def test_anonymous_visitors_go_to_sign_in() -> None:
    for url in ("/inbox/", "/inbox/preferences/", "/deliveries/failed/"):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/signin/")


# --- the links of the messages ---------------------------------------------------------------


def test_a_message_link_opens_the_task_page(world: World, signed_in, settings) -> None:
    settings.SITE_URL = SITE_URL + "/"
    link = task_link(world.overdue.pk)
    assert link == f"{SITE_URL}/t/{world.overdue.pk}/"

    response = signed_in(world.syt_officer).get(link.removeprefix(SITE_URL), follow=True)

    assert response.redirect_chain == [(f"/tasks/{world.overdue.pk}/", 302)]
    assert response.status_code == 200
    assert world.overdue.title in text(response)


# --- preferences -----------------------------------------------------------------------------


def test_preferences_show_the_defaults_and_where_messages_go(world: World, signed_in) -> None:
    user_update(actor=None, user=world.syt_head, data={"phone": ""})

    response = signed_in(world.syt_head).get("/inbox/preferences/")

    page = text(response)
    assert response.status_code == 200
    for name in ("reminder", "escalation"):
        for channel in DEFAULT_CHANNELS:
            assert re.search(rf'name="{name}" value="{channel}"[^>]*checked', page), (name, channel)
        # Zalo is offered, and never ticked for a user who has not chosen it.
        assert re.search(rf'name="{name}" value="zalo"(?![^>]*checked)', page), name
    assert 'name="digest" value="sms"' not in page  # the digest never goes by SMS
    assert "báo cáo vượt cấp luôn được gửi trên mọi kênh" in page.lower()
    assert "syt_head@example.vn" in page
    assert "không nhận được tin nhắn SMS" in page  # no phone, no SMS
    assert re.search(r'name="language" value="vi"[^>]*checked', page)


def test_preferences_are_saved_as_the_api_saves_them(world: World, signed_in) -> None:
    user = world.syt_head
    client = signed_in(user)

    response = client.post(
        "/inbox/preferences/",
        {"language": "en", "reminder": ["inbox"], "digest": ["email"]},  # no escalation ticked
    )

    assert response.status_code == 302 and response["Location"] == "/inbox/preferences/"
    page = text(client.get("/inbox/preferences/"))
    assert "Your notification preferences are saved." in page  # in the language chosen
    assert '<html lang="en">' in page
    # The digest's SMS, never offered here, stays as it was (every channel by default).
    expected = {"reminder": ["inbox"], "escalation": [], "digest": ["email", "sms"]}
    assert preferences_of(user) == expected
    api = client_for(user).get("/api/v1/notifications/preferences/").json()
    assert api == {"language": "en", "channels": expected}
    assert re.search(r'name="reminder" value="inbox"[^>]*checked', page)
    assert not re.search(r'name="reminder" value="email"[^>]*checked', page)
    assert not re.search(r'name="escalation" value="[a-z]+"[^>]*checked', page)


def test_bad_preferences_are_refused_beside_their_field(world: World, signed_in) -> None:
    response = signed_in(world.syt_officer).post(
        "/inbox/preferences/", {"language": "fr", "reminder": ["fax"]}
    )

    page = text(response)
    assert response.status_code == 400
    assert page.count('class="errorlist"') >= 2
    assert 'aria-invalid="true"' in page
    assert preferences_of(world.syt_officer)["reminder"] == list(DEFAULT_CHANNELS)


# --- failed deliveries ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["syt_officer", "syt_head", "chairman", "scoring"])
def test_failed_deliveries_are_the_offices_only(world: World, signed_in, who: str) -> None:
    client = signed_in(getattr(world, who))
    assert client.get("/deliveries/failed/").status_code == 403
    failed = deliver(world.syt_head, world.overdue, number=1, status=NotificationStatus.FAILED)
    assert client.post(f"/deliveries/failed/{failed.pk}/retry/").status_code == 403
    failed.refresh_from_db()
    assert failed.status == NotificationStatus.FAILED


def test_failed_deliveries_list_and_filter(world: World, signed_in) -> None:
    email = deliver(
        world.syt_head, world.overdue, number=1, channel="email", status=NotificationStatus.FAILED
    )
    user_update(actor=None, user=world.syt_officer, data={"phone": "0912345678"})
    sms = deliver(
        world.syt_officer, world.overdue, number=2, channel="sms", status=NotificationStatus.FAILED
    )
    deliver(world.syt_head, world.overdue, number=3, channel="email")  # sent
    client = signed_in(world.office)

    page = text(client.get("/deliveries/failed/"))

    assert "2 thông báo gửi không thành công" in page
    assert page.index(f'id="delivery-{sms.pk}"') < page.index(f'id="delivery-{email.pk}"')
    row = page[page.index(f'id="delivery-{email.pk}"') :]
    for shown in (
        "Đỗ Thị Giám Đốc",
        "syt_head",
        "syt_head@example.vn",
        "Thư điện tử",
        "Nhắc việc",
        "[Đôn đốc] Nhắc việc số 1",
        "SMTP 550: mailbox unavailable",
        ">5<",
        "01/04/2026 08:01",
        f'href="/tasks/{world.overdue.pk}/"',
        "Gửi lại",
    ):
        assert shown in row, shown
    only_sms = text(client.get("/deliveries/failed/?channel=sms"))
    assert f'id="delivery-{sms.pk}"' in only_sms and f'id="delivery-{email.pk}"' not in only_sms
    assert "0912345678" in only_sms
    digests = text(client.get("/deliveries/failed/?kind=digest"))
    assert "Không có thông báo gửi không thành công nào khớp với bộ lọc." in digests
    assert client.get("/deliveries/failed/?channel=fax").status_code == 200  # ignored


def test_send_again_with_htmx_then_a_second_time_is_explained(world: World, signed_in) -> None:
    failed = deliver(
        world.syt_head, world.overdue, number=1, channel="email", status=NotificationStatus.FAILED
    )
    client = signed_in(world.office)

    response = client.post(f"/deliveries/failed/{failed.pk}/retry/", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "Đã gửi lại" in text(response) and "<html" not in text(response)
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (NotificationStatus.PENDING, 0)

    again = client.post(f"/deliveries/failed/{failed.pk}/retry/", HTTP_HX_REQUEST="true")

    assert again.status_code == 409
    assert "không còn ở trạng thái gửi không thành công" in text(again)
    assert "Chờ xử lý" in text(again)  # what it is now


def test_send_again_without_javascript(world: World, signed_in) -> None:
    failed = deliver(
        world.syt_head, world.overdue, number=1, channel="email", status=NotificationStatus.FAILED
    )
    client = signed_in(world.office)

    response = client.post(
        f"/deliveries/failed/{failed.pk}/retry/", {"next": "/deliveries/failed/?channel=email"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/deliveries/failed/?channel=email"
    assert "đang được gửi lại" in text(client.get(response["Location"]))
    conflict = client.post(f"/deliveries/failed/{failed.pk}/retry/")
    assert conflict.status_code == 409
    page = text(conflict)
    assert "Đã có người gửi lại trước đó, nên không có gì thay đổi." in page
    assert 'href="/deliveries/failed/"' in page
    assert client.post("/deliveries/failed/999999/retry/").status_code == 404
