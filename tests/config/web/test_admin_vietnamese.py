"""The admin, for a system administrator whose language is Vietnamese, is wholly Vietnamese:
every registered model's list (with its filters and the facet counts), add, change, delete
and history pages, the actions' confirmations and messages, Django's own pages around them
and the periodic tasks and tokens of third-party apps. The crawl strips markup, scripts and
the values the data itself holds (names, codes, task paths) and looks for English words an
untranslated page would show."""

from __future__ import annotations

import html
import json
import re
import zoneinfo
from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import ClockedSchedule, CrontabSchedule, PeriodicTask, SolarSchedule

from notifications.models import Notification, NotificationPreference
from notifications.services.preferences import preferences_update
from tests.browser_harness import SCREENSHOTS
from tests.factories import UserFactory
from tracker.models import CalendarAdjustment, Role, TaskHistory, User
from tracker.services.digest import digest_record
from tracker.services.periods import period_close
from tracker.services.tokens import token_issue

pytestmark = pytest.mark.django_db

# Words and phrases of the admin's English (Django, django-celery-beat, DRF) that a page in
# Vietnamese must not show. Case-sensitive; a code-like token (a.b, a_b) is data, not text.
ENGLISH = [
    "Add", "Change", "Delete", "Save", "Search", "Filter", "Show counts", "Hide counts",
    "Periodic", "periodic", "Token", "Tokens", "Interval", "interval", "Crontab", "crontab",
    "Crontabs", "Clocked", "clocked", "Solar", "solar", "Enabled", "Disabled", "Last run",
    "Task", "Tasks", "task", "tasks", "Name", "Description", "History", "View", "Home",
    "Log out", "Welcome", "Password", "Username", "Action", "Actions", "Go", "selected",
    "Select", "All", "Yes", "Unknown", "Today", "Past 7 days", "This month", "This year",
    "Any date", "Schedule", "Arguments", "Keyword", "Expires", "Queue", "Exchange",
    "Routing", "Priority", "Headers", "Start", "Minute", "Minutes", "Hour", "Hours", "Day",
    "Days", "Month", "Week", "Year", "Every", "every", "Event", "Latitude", "Longitude",
    "Key", "User", "Users", "Created", "Group", "Groups", "Permission", "Permissions",
    "Recent actions", "My actions", "None available", "Object", "Run", "Seconds", "seconds",
    "Sunrise", "Sunset", "dawn", "dusk", "noon", "Timezone", "Required", "Status", "Kind",
    "Recipient", "Subject", "Attempts", "Sent", "Skip", "Toggle", "theme", "Sidebar",
    "Breadcrumbs", "Model", "link", "Scheduler", "Human readable", "Translation", "Example",
    "Can add", "Can change", "Can delete", "Can view", "Enable", "Disable", "Reset", "Raw",
    "True", "False", "None", "Forgotten", "entry", "entries", "Added", "Changed", "Deleted",
    "Auth", "Monday", "Sunday", "January", "At", "the", "and", "of", "for", "with", "this",
    "is", "are", "was", "were", "will", "you", "your", "successfully", "Are you sure",
    "reminder", "digest", "sent", "pending", "failed", "normal", "urgent",
    "in_progress", "status_changed", "created", "assigned", "(m/h/dM/MY/d)", "Title",
    "Deadline", "Lead department",
]  # fmt: skip
ENGLISH_PATTERN = re.compile(
    r"(?<![\w/(.-])(" + "|".join(re.escape(p) for p in ENGLISH) + r")(?![\w/-])"
)
# Django writes this text in its template, untranslatable (config/templates/admin/
# search_form.html would override it); the button beside it says "Tìm kiếm".
CODE_LIKE = re.compile(r"\b\w+(?:[._]\w+)+\b")
# Where a model's str() is made of codes, only these fields of it count as data.
DATA_FIELDS_ONLY = {
    TaskHistory: ("reason",),
    Notification: ("subject", "body", "key", "code", "about", "link"),  # as the sender wrote them
    NotificationPreference: (),
    PeriodicTask: ("name", "task", "description"),
    CrontabSchedule: (),
}


def visible_text(page: str) -> str:
    """What a reader sees or hears: text outside tags, plus titles, placeholders, labels,
    alternative texts and the words on buttons; not scripts, styles, or the values of
    inputs and text areas (the data being edited)."""
    page = re.sub(r"(?is)<(script|style|textarea)\b.*?</\1>", " ", page)
    page = re.sub(r"(?s)<!--.*?-->", " ", page)
    attributes = re.findall(r'\b(?:title|placeholder|aria-label|alt)="([^"]*)"', page)
    buttons = re.findall(r'<input[^>]*type="(?:submit|button)"[^>]*value="([^"]*)"', page)
    text = re.sub(r"(?s)<[^>]+>", " ", page)
    return html.unescape(" ".join([text, *attributes, *buttons]))


def data_strings() -> list[str]:
    """The values the data holds, longest first: the names and codes officials typed, the
    Celery task paths, the time zone names."""
    zones = zoneinfo.available_timezones()
    values: set[str] = zones | {zone.replace("_", " ") for zone in zones}
    for model in admin.site._registry:
        only = DATA_FIELDS_ONLY.get(model)
        for obj in model._default_manager.all():
            if only is None:
                values.add(str(obj))
            for field in model._meta.concrete_fields:
                if only is not None and field.name not in only:
                    continue
                value = getattr(obj, field.attname)
                if isinstance(value, str) and not field.choices:
                    values.add(value)
    for user in User.objects.all():
        values.update({user.username, user.email, str(user)})
    return sorted((v for v in values if v.strip()), key=len, reverse=True)


def english_in(page: str, data: list[str]) -> list[str]:
    text = visible_text(page)
    for value in data:
        text = text.replace(value, " ")
    text = CODE_LIKE.sub(" ", text)
    return sorted(set(ENGLISH_PATTERN.findall(text)))


@pytest.fixture
def superuser() -> User:
    user = UserFactory(username="quantri", full_name="Quản Trị Viên", role=Role.OFFICE)
    user.is_staff = user.is_superuser = True
    user.language = "vi"
    user.save()
    return user


@pytest.fixture
def every_kind_of_record(world, superuser) -> None:
    """One record at least of every model the admin shows."""
    Group.objects.create(name="Quản trị hệ thống")
    token_issue(user=world.office)
    SolarSchedule.objects.create(event="sunrise", latitude=10.8, longitude=106.6)
    ClockedSchedule.objects.create(clocked_time=timezone.now() + timedelta(days=3))
    CalendarAdjustment.objects.create(
        date=world.today + timedelta(days=40), kind="day_off", note="Nghỉ bù"
    )
    preferences_update(user=world.syt_head, language="vi", channels={"reminder": ["inbox"]})
    digest_record()
    period_close(
        actor=world.office,
        date_from=world.today.replace(day=1) - timedelta(days=62),
        date_to=world.today.replace(day=1) - timedelta(days=32),
        as_of=world.today,
    )
    assert Notification.objects.exists()


def admin_pages(client: Client) -> list[tuple[str, str]]:
    """(url, method) of every page to read: GET pages, then POSTed actions."""
    pages = [("/admin/", "get"), ("/admin/password_change/", "get")]
    apps = set()
    for model, model_admin in admin.site._registry.items():
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        changelist = reverse(f"admin:{info}_changelist")
        apps.add(model._meta.app_label)
        pages += [(changelist, "get"), (f"{changelist}?_facets=True", "get")]
        pages.append((f"{changelist}?q=zzzzz", "get"))
        request = client.get(changelist).wsgi_request
        if model_admin.has_add_permission(request):
            pages += [(reverse(f"admin:{info}_add"), "get"), (reverse(f"admin:{info}_add"), "post")]
        obj = model_admin.get_queryset(request).order_by("pk").first()
        if obj is None:
            continue
        pk = getattr(obj, "user_id", obj.pk) if model._meta.model_name == "tokenproxy" else obj.pk
        pages += [
            (reverse(f"admin:{info}_change", args=[pk]), "get"),
            (reverse(f"admin:{info}_history", args=[pk]), "get"),
        ]
        if model_admin.has_delete_permission(request, obj):
            pages.append((reverse(f"admin:{info}_delete", args=[pk]), "get"))
        for action in model_admin.get_actions(request):
            pages.append((f"{changelist}#{action}#{obj.pk}", "action"))
    pages += [(f"/admin/{app}/", "get") for app in sorted(apps)]
    user = User.objects.get(username="quantri")
    pages.append((reverse("admin:auth_user_password_change", args=[user.pk]), "get"))
    return pages


def read(client: Client, url: str, method: str) -> str:
    if method == "get":
        response = client.get(url, follow=True)
    elif method == "post":  # an empty form: the errors it shows
        form = client.get(url).content.decode()
        hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
        response = client.post(url, hidden)
    else:
        changelist, action, pk = url.split("#")
        data = {"action": action, "_selected_action": [pk], "reason": "Kiểm tra giao diện"}
        response = client.post(changelist, data, follow=True)
    assert response.status_code == 200, (url, method, response.status_code)
    return response.content.decode()


def change_through_the_admin(client: Client, url: str, changes: dict[str, object]) -> None:
    """Submits the change form as it is, with some values changed: the history and the
    recent actions then have an entry of each kind of change."""
    form = client.get(url).content.decode()
    data: dict[str, object] = dict(
        re.findall(r'<input type="(?:text|hidden|number)" name="([^"]+)" value="([^"]*)"', form)
    )
    for name, value in re.findall(
        r'<select name="([^"]+)"[^>]*>.*?<option value="([^"]*)" selected', form, re.S
    ):
        data[name] = value
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, visible_text(response.content.decode())[:3000]


def test_every_admin_page_is_vietnamese(every_kind_of_record, world, superuser, in_memory_broker):
    client = Client()
    client.force_login(superuser)
    change_through_the_admin(
        client,
        reverse("admin:tracker_task_change", args=[world.within.pk]),
        {"title": "Rà soát trang thiết bị y tế", "deadline": world.today + timedelta(days=60)},
    )
    data = data_strings()
    found = {}
    for url, method in admin_pages(client):
        if english := english_in(read(client, url, method), data):
            found[f"{method} {url}"] = english
    page = read(client, "/admin/", "get")  # now with recent actions of every kind
    if english := english_in(page, data):
        found["get /admin/ (recent actions)"] = english
    assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)


def test_the_check_finds_english(every_kind_of_record, superuser):
    """The same crawl of a page in English finds words: the check is not blind."""
    superuser.language = "en"
    superuser.save()
    client = Client()
    client.force_login(superuser)
    page = read(client, "/admin/django_celery_beat/periodictask/?_facets=True", "get")
    assert {"Periodic", "Hide counts", "Enabled", "Filter"} <= set(english_in(page, []))


def test_the_task_page_shows_its_history_in_words_and_local_time(world, superuser):
    client = Client()
    client.force_login(superuser)
    page = client.get(reverse("admin:tracker_task_change", args=[world.completed.pk]))
    text = " ".join(visible_text(page.content.decode()).split())
    assert "Chấp nhận báo cáo hoàn thành" in text or "hoàn thành" in text
    accepted = world.completed.history.get(new="completed")
    local = timezone.localtime(accepted.at)
    assert local.strftime("%d/%m/%Y %H:%M") in text
    assert "awaiting_acceptance" not in text and "status_changed" not in text


def test_periodic_tasks_read_their_schedule_in_vietnamese(superuser):
    client = Client()
    client.force_login(superuser)
    page = client.get("/admin/django_celery_beat/periodictask/").content.decode()
    text = " ".join(visible_text(page).split())
    assert "Tác vụ định kỳ" in text
    assert "07:30" in text and "(m/h/dM/MY/d)" not in text
    assert PeriodicTask.objects.filter(crontab__isnull=False).exists()


# --- in the browser: screenshots to look at (the admin is Django's own markup) ------------


@pytest.mark.django_db(transaction=True)
def test_admin_screenshots(live_world, open_page):
    user = UserFactory(username="quantri", full_name="Quản Trị Viên", role=Role.OFFICE)
    user.is_staff = user.is_superuser = True
    user.save()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = open_page(user)
    page.goto(reverse("admin:tracker_task_change", args=[live_world.completed.pk]))
    page.locator("#history").wait_for()
    page.screenshot(path=str(SCREENSHOTS / "admin-task-history.png"), full_page=True)
    assert "Lịch sử nhiệm vụ" in page.content()
    page.goto("/admin/django_celery_beat/periodictask/?_facets=True")
    page.screenshot(path=str(SCREENSHOTS / "admin-periodic-tasks.png"), full_page=True)
    assert page.get_by_role("heading", name="Chọn tác vụ định kỳ để thay đổi").count() == 1
