"""The in-app inbox, the preferences, the office's follow-up of failed deliveries (API and
admin), and the reminder policy in the admin."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from notifications.models import (
    Notification,
    NotificationKind,
    NotificationPreference,
    NotificationStatus,
)
from tests.factories import TaskFactory, UserFactory
from tests.notification_rows import reminder_fields
from tracker.admin import ReminderStepForm
from tracker.models import ReminderPolicy, ReminderStep, Role, Task, User

pytestmark = pytest.mark.django_db

INBOX = "/api/v1/notifications/"
FAILED = "/api/v1/notifications/failed/"
PREFERENCES = "/api/v1/notifications/preferences/"
START = timezone.make_aware(dt.datetime(2026, 4, 1, 8, 0))


@pytest.fixture
def task() -> Task:
    return TaskFactory()


def notify(
    recipient: User,
    task: Task,
    *,
    number: int,
    channel: str = "inbox",
    status: str = NotificationStatus.SENT,
    read: bool = False,
    minutes: int | None = None,
) -> Notification:
    """A reminder of the default policy's "due today" step; `number` is its occurrence (the
    unique key) and, unless `minutes` says otherwise, its age order: higher is newer."""
    step = ReminderStep.objects.get(code="due_today", policy__priority="")
    moment = START + dt.timedelta(minutes=number if minutes is None else minutes)
    notification = Notification.objects.create(
        kind=NotificationKind.REMINDER,
        **reminder_fields(task, step, occurrence=number),
        recipient=recipient,
        channel=channel,
        language="vi",
        subject=f"Nhắc việc {number}",
        body="Nhiệm vụ đến hạn hôm nay.",
        status=status,
        send_after=moment,
        sent_at=moment if status == NotificationStatus.SENT else None,
        attempts=5 if status == NotificationStatus.FAILED else 1,
        last_error="SMTP 550" if status == NotificationStatus.FAILED else "",
        read_at=moment if read else None,
    )
    Notification.objects.filter(pk=notification.pk).update(created_at=moment)
    notification.refresh_from_db()
    return notification


# --- the inbox ---------------------------------------------------------------------------


def test_inbox_lists_only_the_callers_sent_inbox_messages_newest_first(api, officer, head, task):
    older = notify(officer, task, number=1)
    newer = notify(officer, task, number=2)
    notify(officer, task, number=3, channel="email")
    notify(officer, task, number=4, status=NotificationStatus.PENDING)
    notify(officer, task, number=5, status=NotificationStatus.FAILED)
    notify(head, task, number=6)

    response = api(officer).get(INBOX)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 2
    assert [n["id"] for n in body["results"]] == [newer.pk, older.pk]
    first = body["results"][0]
    assert set(first) == {
        "id",
        "kind",
        "task",
        "step",
        "subject",
        "body",
        "created_at",
        "read_at",
        "read",
    }
    assert first["kind"] == "reminder"
    assert first["task"] == task.pk
    assert first["step"] == "due_today"
    assert first["read"] is False
    assert first["read_at"] is None


def test_every_role_has_an_inbox(api, task):
    scoring = UserFactory(role=Role.SCORING)
    notify(scoring, task, number=1)
    response = api(scoring).get(INBOX)
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_the_inbox_needs_a_signed_in_user(api):
    assert api(None).get(INBOX).status_code == 401


def test_unread_filter_and_unread_count(api, officer, task):
    unread = notify(officer, task, number=1)
    read = notify(officer, task, number=2, read=True)
    notify(officer, task, number=3)

    everything = api(officer).get(INBOX).json()
    assert everything["count"] == 3
    assert everything["unread_count"] == 2

    only_unread = api(officer).get(INBOX, {"unread": "true"}).json()
    assert only_unread["count"] == 2
    assert unread.pk in [n["id"] for n in only_unread["results"]]
    assert only_unread["unread_count"] == 2

    only_read = api(officer).get(INBOX, {"unread": "false"}).json()
    assert [n["id"] for n in only_read["results"]] == [read.pk]
    assert only_read["results"][0]["read"] is True
    assert only_read["unread_count"] == 2  # the total, whatever the filter


@pytest.mark.parametrize("value", ["yes", "1", "TRUE", ""])
def test_unread_filter_is_strict(api, officer, value):
    response = api(officer).get(INBOX, {"unread": value})
    if value == "":
        assert response.status_code == 200  # an empty parameter is no filter
    else:
        assert response.status_code == 400
        assert "unread" in response.json()


def test_reading_a_message_sets_read_at_once(api, officer, task):
    notification = notify(officer, task, number=1)
    url = f"{INBOX}{notification.pk}/read/"

    first = api(officer).post(url)
    assert first.status_code == 200, first.content
    assert first.json()["id"] == notification.pk
    assert first.json()["read"] is True
    read_at = first.json()["read_at"]
    assert read_at is not None

    again = api(officer).post(url)
    assert again.status_code == 200
    assert again.json()["read_at"] == read_at
    assert api(officer).get(INBOX).json()["unread_count"] == 0


def test_another_users_message_is_not_found(api, officer, head, task):
    theirs = notify(head, task, number=1)
    assert api(officer).post(f"{INBOX}{theirs.pk}/read/").status_code == 404
    assert api(officer).post(f"{INBOX}999999/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_an_email_is_not_in_the_inbox(api, officer, task):
    email = notify(officer, task, number=1, channel="email")
    assert api(officer).post(f"{INBOX}{email.pk}/read/").status_code == 404


def test_read_all_marks_the_callers_unread_messages(api, officer, head, task):
    notify(officer, task, number=1)
    notify(officer, task, number=2)
    notify(officer, task, number=3, read=True)
    theirs = notify(head, task, number=4)

    response = api(officer).post(f"{INBOX}read-all/")

    assert response.status_code == 200
    assert response.json() == {"marked": 2}
    assert api(officer).get(INBOX).json()["unread_count"] == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert api(officer).post(f"{INBOX}read-all/").json() == {"marked": 0}


# --- failed deliveries -------------------------------------------------------------------


def test_the_office_lists_failed_deliveries_of_every_channel(api, office_user, officer, task):
    email = notify(officer, task, number=1, channel="email", status=NotificationStatus.FAILED)
    sms = notify(officer, task, number=2, channel="sms", status=NotificationStatus.FAILED)
    notify(officer, task, number=3, channel="email")

    response = api(office_user).get(FAILED)

    assert response.status_code == 200, response.content
    body = response.json()
    assert [n["id"] for n in body["results"]] == [sms.pk, email.pk]
    row = body["results"][1]
    assert row["recipient"] == {"id": officer.pk, "username": officer.username}
    assert row["channel"] == "email"
    assert row["status"] == "failed"
    assert row["attempts"] == 5
    assert row["last_error"] == "SMTP 550"
    assert row["task"] == task.pk
    assert row["step"] == "due_today"
    assert row["created_at"]

    by_channel = api(office_user).get(FAILED, {"channel": "sms"}).json()
    assert [n["id"] for n in by_channel["results"]] == [sms.pk]
    assert api(office_user).get(FAILED, {"kind": "digest"}).json()["count"] == 0
    assert api(office_user).get(FAILED, {"channel": "fax"}).status_code == 400


def test_failed_deliveries_are_the_offices(api, officer, leader_user):
    assert api(officer).get(FAILED).status_code == 403
    assert api(leader_user).get(FAILED).status_code == 403
    assert api(None).get(FAILED).status_code == 401


def test_retry_puts_a_failed_delivery_back_to_pending(api, office_user, officer, task):
    failed = notify(officer, task, number=1, channel="email", status=NotificationStatus.FAILED)

    response = api(office_user).post(f"{INBOX}{failed.pk}/retry/")

    assert response.status_code == 200, response.content
    assert response.json()["id"] == failed.pk
    assert response.json()["status"] == "pending"
    assert response.json()["attempts"] == 0
    failed.refresh_from_db()
    assert failed.status == NotificationStatus.PENDING
    assert failed.attempts == 0


def test_retry_of_a_delivery_that_has_not_failed_is_a_conflict(api, office_user, officer, task):
    sent = notify(officer, task, number=1, channel="email")
    response = api(office_user).post(f"{INBOX}{sent.pk}/retry/")
    assert response.status_code == 409
    assert "detail" in response.json()
    sent.refresh_from_db()
    assert sent.status == NotificationStatus.SENT


def test_retry_is_the_offices(api, office_user, officer, task):
    failed = notify(officer, task, number=1, channel="email", status=NotificationStatus.FAILED)
    assert api(officer).post(f"{INBOX}{failed.pk}/retry/").status_code == 403
    assert api(None).post(f"{INBOX}{failed.pk}/retry/").status_code == 401
    assert api(office_user).post(f"{INBOX}999999/retry/").status_code == 404
    failed.refresh_from_db()
    assert failed.status == NotificationStatus.FAILED


# --- preferences -------------------------------------------------------------------------


def test_preferences_default_to_every_channel(api, officer):
    response = api(officer).get(PREFERENCES)
    assert response.status_code == 200
    assert response.json() == {
        "language": "vi",
        "channels": {
            "reminder": ["inbox", "email", "sms"],
            "escalation": ["inbox", "email", "sms"],
            "digest": ["inbox", "email", "sms"],
        },
    }


def test_preferences_are_replaced(api, head):
    body = {
        "language": "en",
        "channels": {"reminder": ["email", "inbox", "email"], "escalation": []},
    }
    response = api(head).put(PREFERENCES, body, format="json")

    assert response.status_code == 200, response.content
    assert response.json() == {
        "language": "en",
        "channels": {
            "reminder": ["inbox", "email"],
            "escalation": [],
            "digest": ["inbox", "email", "sms"],
        },
    }
    head.refresh_from_db()
    assert head.language == "en"
    stored = dict(NotificationPreference.objects.filter(user=head).values_list("kind", "channels"))
    assert stored == {"reminder": ["inbox", "email"], "escalation": []}

    # A kind left out goes back to the default.
    api(head).put(PREFERENCES, {"language": "vi", "channels": {}}, format="json")
    assert not NotificationPreference.objects.filter(user=head).exists()
    assert api(head).get(PREFERENCES).json()["language"] == "vi"


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"language": "fr", "channels": {}}, ["language"]),
        ({"language": "vi", "channels": {"newsletter": ["inbox"]}}, ["channels", "newsletter"]),
        ({"language": "vi", "channels": {"reminder": ["fax"]}}, ["channels", "reminder"]),
        ({"language": "vi", "channels": {"reminder": "inbox"}}, ["channels", "reminder"]),
        ({"language": "vi", "channels": ["inbox"]}, ["channels"]),
        ({"channels": {}}, ["language"]),
        ({"language": "vi"}, ["channels"]),
    ],
)
def test_bad_preferences_are_refused_naming_the_field(api, officer, body, path):
    response = api(officer).put(PREFERENCES, body, format="json")
    assert response.status_code == 400, response.content
    errors = response.json()
    for key in path:
        assert key in errors, errors
        errors = errors[key]
    assert not NotificationPreference.objects.filter(user=officer).exists()
    officer.refresh_from_db()
    assert officer.language == "vi"


def test_the_schema_says_escalations_ignore_opt_outs(api):
    schema = api(None).get("/api/v1/schema/", {"format": "json"}).json()
    inbox = schema["paths"]["/api/v1/notifications/"]["get"]["responses"]["200"]
    page = schema["components"]["schemas"][
        inbox["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    ]
    assert "unread_count" in page["properties"]
    assert "unread_count" in page["required"]
    channels = schema["components"]["schemas"]["KindChannelsInputRequest"]["properties"]
    assert "escalation" in channels["escalation"]["description"].lower()
    retry = schema["paths"]["/api/v1/notifications/{id}/retry/"]["post"]["responses"]
    assert "409" in retry


# --- the admin ---------------------------------------------------------------------------


@pytest.fixture
def admin_client() -> Client:
    user = UserFactory(role=Role.OFFICE, username="quantri")
    user.is_staff = user.is_superuser = True
    user.save()
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(user)
    return client


def test_admin_pages_render(admin_client, officer, task):
    notification = notify(officer, task, number=1, status=NotificationStatus.FAILED)
    NotificationPreference.objects.create(user=officer, kind="reminder", channels=["inbox"])
    policy = ReminderPolicy.objects.get(priority="", active=True)
    preference = NotificationPreference.objects.get(user=officer)
    for url in [
        "/admin/notifications/notification/",
        "/admin/notifications/notification/?status__exact=failed&channel__exact=inbox",
        f"/admin/notifications/notification/{notification.pk}/change/",
        "/admin/notifications/notificationpreference/",
        f"/admin/notifications/notificationpreference/{preference.pk}/change/",
        "/admin/tracker/reminderpolicy/",
        "/admin/tracker/reminderpolicy/add/",
        f"/admin/tracker/reminderpolicy/{policy.pk}/change/",
    ]:
        response = admin_client.get(url)
        assert response.status_code == 200, url
    page = admin_client.get(f"/admin/tracker/reminderpolicy/{policy.pk}/change/").content.decode()
    assert "due_today" in page  # the steps, inline
    assert 'name="steps-0-audiences"' in page


def test_admin_retry_action(admin_client, officer, task):
    failed = notify(officer, task, number=1, channel="email", status=NotificationStatus.FAILED)
    sent = notify(officer, task, number=2, channel="email")

    response = admin_client.post(
        "/admin/notifications/notification/",
        {"action": "retry", "_selected_action": [failed.pk, sent.pk]},
        follow=True,
    )

    assert response.status_code == 200
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert failed.status == NotificationStatus.PENDING
    assert failed.attempts == 0
    assert sent.status == NotificationStatus.SENT
    texts = [str(m) for m in response.context["messages"]]
    assert any("1" in text for text in texts), texts
    assert len(texts) == 2  # one sent again, one left alone


def step_data(**changes: object) -> dict:
    data = {
        "code": "warning",
        "name": "Nhắc thử",
        "kind": "reminder",
        "offset_working_days": -3,
        "repeat_every_working_days": "",
        "audiences": ["lead_head", "lead_officers"],
        "channels": ["email", "inbox"],
    }
    return {**data, **changes}


def test_the_step_form_stores_known_audiences_and_channels():
    policy = ReminderPolicy.objects.get(priority="", active=True)
    form = ReminderStepForm(data=step_data(), instance=ReminderStep(policy=policy))
    assert form.is_valid(), form.errors
    step = form.save()
    assert step.audiences == ["lead_officers", "lead_head"]
    assert step.channels == ["inbox", "email"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"audiences": ["lead_head", "the_mayor"]}, "audiences"),
        ({"audiences": []}, "audiences"),
        ({"channels": ["fax"]}, "channels"),
    ],
)
def test_the_step_form_refuses_junk(changes, field):
    policy = ReminderPolicy.objects.get(priority="", active=True)
    form = ReminderStepForm(data=step_data(**changes), instance=ReminderStep(policy=policy))
    assert not form.is_valid()
    assert field in form.errors


def policy_form(policy: ReminderPolicy, order_by: str = "pk") -> tuple[dict, list]:
    """The admin's change form of a policy with its steps inline, as the page posts it
    unchanged, and the steps in the order of the form."""
    steps = list(policy.steps.order_by(order_by))
    data: dict = {
        "name": policy.name,
        "priority": "",
        "active": "on",
        "steps-TOTAL_FORMS": str(len(steps)),
        "steps-INITIAL_FORMS": str(len(steps)),
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
    }
    for i, step in enumerate(steps):
        prefix = f"steps-{i}-"
        data |= {
            prefix + "id": str(step.pk),
            prefix + "policy": str(policy.pk),
            prefix + "code": step.code,
            prefix + "name": step.name,
            prefix + "kind": step.kind,
            prefix + "offset_working_days": str(step.offset_working_days),
            prefix + "repeat_every_working_days": str(step.repeat_every_working_days or ""),
            prefix + "audiences": step.audiences,
            prefix + "channels": step.channels,
        }
    return data, steps


def test_the_admin_edits_a_step_inline(admin_client):
    policy = ReminderPolicy.objects.get(priority="", active=True)
    data, steps = policy_form(policy)
    index = next(i for i, s in enumerate(steps) if s.code == "due_today")
    url = f"/admin/tracker/reminderpolicy/{policy.pk}/change/"

    junk = {**data, f"steps-{index}-audiences": ["lead_officers", "the_mayor"]}
    response = admin_client.post(url, junk)
    assert response.status_code == 200  # the form again, with the error
    assert ReminderStep.objects.get(pk=steps[index].pk).audiences == ["lead_officers"]

    good = {**data, f"steps-{index}-channels": ["sms"]}
    response = admin_client.post(url, good)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ReminderStep.objects.get(pk=steps[index].pk).channels == ["sms"]


def test_only_the_last_step_of_a_policy_may_repeat(client, django_user_model):
    admin_user = django_user_model.objects.create_superuser(
        "quantri2", "q@example.vn", "x-Passw0rd!", role="office"
    )
    client.force_login(admin_user)
    policy = ReminderPolicy.objects.get(priority="", active=True)
    data, _steps = policy_form(policy, "offset_working_days")
    data["steps-0-repeat_every_working_days"] = "3"  # the −5 step
    response = client.post(f"/admin/tracker/reminderpolicy/{policy.pk}/change/", data)
    assert response.status_code == 200
    assert "Only the last step" in response.content.decode() or "Chỉ" in response.content.decode()
    assert not policy.steps.filter(offset_working_days=-5, repeat_every_working_days=3).exists()


def test_the_admin_refuses_a_repeat_on_a_step_after_the_deadline_that_is_not_the_last(
    admin_client,
):
    """Escalation 2 (+5) may repeat as far as the database knows (after the deadline); only
    the policy's rule, tracker.services.reminders.reminder_steps_check, refuses it: the
    steps after a repeating one would never come."""
    policy = ReminderPolicy.objects.get(priority="", active=True)
    data, steps = policy_form(policy, "offset_working_days")
    second = next(i for i, s in enumerate(steps) if s.code == "escalation_2")
    data[f"steps-{second}-repeat_every_working_days"] = "3"

    response = admin_client.post(f"/admin/tracker/reminderpolicy/{policy.pk}/change/", data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Only the last step" in page or "Chỉ bước cuối" in page, page[:3000]
    assert ReminderStep.objects.get(pk=steps[second].pk).repeat_every_working_days is None


def test_the_rule_of_repeats_is_the_services():
    from django.core.exceptions import ValidationError

    from tracker.services.reminders import reminder_steps_check

    reminder_steps_check([(-5, None), (1, None), (15, 5)])  # the last one repeats: fine
    reminder_steps_check([(15, 5), (-5, None)])  # in any order given
    with pytest.raises(ValidationError):
        reminder_steps_check([(-5, None), (5, 3), (15, 5)])


def test_a_digest_in_the_inbox_and_in_failed_deliveries_has_no_task_nor_step(
    api, head, department, office_user
):
    """`task` and `step` keep their meaning now that they are read from the reference the
    sender stored: null for the morning digest, which is about several tasks."""
    from tracker.services.departments import department_update
    from tracker.services.digest import digest_record

    department_update(department=department, data={"head": head})
    TaskFactory(lead_department=department, assigned_on=dt.date(2026, 3, 2), deadline=START.date())
    digest_record(now=START)
    Notification.objects.filter(channel="inbox").update(status=NotificationStatus.SENT)
    Notification.objects.filter(channel="email").update(status=NotificationStatus.FAILED)

    [digest] = api(head).get(INBOX).json()["results"]
    [failed] = api(office_user).get(FAILED).json()["results"]

    assert (digest["kind"], digest["task"], digest["step"]) == ("digest", None, None)
    assert (failed["kind"], failed["task"], failed["step"]) == ("digest", None, None)
