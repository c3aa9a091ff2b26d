"""Notifications in the admin: the pages, the retry action, and the reminder policy's steps
(audiences, channels, repeats); a digest has no task nor step."""

import datetime as dt

import pytest
from django.test import Client

from notifications.models import Notification, NotificationPreference, NotificationStatus
from tests.factories import TaskFactory, UserFactory
from tests.notifications.notification_api_support import FAILED, INBOX, START, notify
from tracker.admin import ReminderStepForm
from tracker.models import ReminderPolicy, ReminderStep, Role

pytestmark = pytest.mark.django_db


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
