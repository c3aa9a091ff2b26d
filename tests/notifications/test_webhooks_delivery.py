"""Webhooks delivered to a real receiver on loopback: the five events the tracker's own
services produce each arrive once, signed (checked with standardwebhooks' verifier), and
recording them again sends nothing new; a receiver answering 500 is tried again with
backoff under the same webhook-id until it answers 2xx; after the last attempt the
delivery is in the failure list and the office's retry sends it; an address refused at
delivery time (a name now resolving to loopback) is a failed attempt, nothing sent.

Time for the retries is the clock file (settings.CLOCK_FILE); the signature's timestamp is
the real time of sending, which the verifier checks against its own clock."""

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone, translation
from standardwebhooks import Webhook

from config.common import clock
from notifications.models import (
    NotificationStatus,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from notifications.services import delivery
from notifications.services.webhooks import (
    webhook_document_record,
    webhook_endpoint_create,
    webhook_events_record,
)
from tests.conftest import client_for
from tests.factories import DepartmentFactory, TaskFactory, UserFactory
from tests.webhook_receiver import Receiver
from tracker.models import Role, Task
from tracker.services import events, lifecycle
from tracker.services.periods import period_close
from tracker.services.tasks import task_update

pytestmark = pytest.mark.django_db
S = NotificationStatus
FIVE = [
    WebhookEvent.TASK_ASSIGNED,
    WebhookEvent.TASK_OVERDUE,
    WebhookEvent.TASK_COMPLETED,
    WebhookEvent.EXTENSION_DECIDED,
    WebhookEvent.PERIOD_PUBLISHED,
]


@pytest.fixture(autouse=True)
def _environment(settings: Any, in_memory_broker: None) -> None:
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.SITE_URL = "https://dondoc.example.vn"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver().start()
    yield server
    server.stop()


@pytest.fixture
def endpoint(receiver: Receiver) -> WebhookEndpoint:
    return webhook_endpoint_create(
        data={
            "name": "Hệ thống điều hành của tỉnh",
            "url": receiver.url,
            "event_types": FIVE,
            "allow_private_network": True,
        }
    )


@pytest.fixture
def clock_file(settings: Any, tmp_path: Path) -> Callable[[dt.timedelta], None]:
    path = tmp_path / "clock"
    settings.CLOCK_FILE = str(path)
    path.write_text(timezone.now().isoformat())

    def advance(delta: dt.timedelta) -> None:
        path.write_text((clock.now() + delta).isoformat())

    return advance


def deliver_due() -> dict[int, str]:
    """What a worker does with the dispatcher's batches."""
    outcomes: dict[int, str] = {}
    for batch in delivery.batches(delivery.webhooks_due(clock.now())):
        outcomes |= delivery.webhooks_deliver(batch)
    return outcomes


def province() -> dict[str, Any]:
    syt = DepartmentFactory(code="SYT", name="Sở Y tế")
    return {
        "lead": syt,
        "other": DepartmentFactory(code="STC", name="Sở Tài chính"),
        "office": UserFactory(role=Role.OFFICE, username="vp_ubnd"),
        "officer": UserFactory(role=Role.DEPARTMENT_OFFICER, department=syt, username="syt_cv"),
        "leader": UserFactory(role=Role.LEADER, username="pct"),
    }


def make_every_event(people: dict[str, Any]) -> dict[str, Task]:
    """The tracker's own services, one event each (and task.assigned for every task)."""
    today = timezone.localdate()
    office, officer = people["office"], people["officer"]

    def task(title: str, deadline: dt.date) -> Task:
        return TaskFactory(
            title=title,
            lead_department=people["lead"],
            supervising_leader=people["leader"],
            assigned_on=today - dt.timedelta(days=30),
            deadline=deadline,
        )

    plain = task("Rà soát danh mục thuốc thiết yếu", today + dt.timedelta(days=10))
    completed = task("Báo cáo tiêm chủng mở rộng", today + dt.timedelta(days=10))
    lifecycle.completion_report_create(
        task_id=completed.pk, actor=officer, completed_on=today, result="Đã hoàn thành"
    )
    lifecycle.completion_accept(task_id=completed.pk, actor=office)
    extended = task("Xây dựng đề án y tế cơ sở", today + dt.timedelta(days=5))
    request = lifecycle.extension_request_create(
        task_id=extended.pk,
        actor=officer,
        requested_deadline=today + dt.timedelta(days=20),
        reason="Chờ ý kiến các sở",
    )
    lifecycle.extension_approve(request_id=request.pk, actor=office, note="Đồng ý")
    overdue = task("Kiểm tra an toàn thực phẩm", today - dt.timedelta(days=2))
    events.overdue_events_record()
    period_close(
        actor=office,
        date_from=today - dt.timedelta(days=90),
        date_to=today - dt.timedelta(days=31),
        as_of=today - dt.timedelta(days=1),
    )
    return {"plain": plain, "completed": completed, "extended": extended, "overdue": overdue}


def test_every_event_reaches_the_receiver_once_with_a_valid_signature(
    receiver: Receiver, endpoint: WebhookEndpoint
) -> None:
    tasks = make_every_event(province())
    outcomes = deliver_due()

    assert set(outcomes.values()) == {S.SENT}
    received = receiver.received()
    payloads = [request.verified(endpoint.secret) for request in received]
    assert Counter(p["type"] for p in payloads) == {
        "task.assigned": 4,
        "task.completed": 1,
        "extension.decided": 1,
        "task.overdue": 1,
        "period.published": 1,
    }
    assert len(receiver.ids()) == len(received)  # each webhook-id once
    for request, payload in zip(received, payloads, strict=True):
        assert request.path == "/hooks/dondoc"
        assert request.headers["content-type"] == "application/json"
        assert request.headers["user-agent"] == "Dondoc-Webhooks"
        assert request.message_id.startswith("msg_")
        assert dt.datetime.fromisoformat(payload["timestamp"]).utcoffset() == dt.timedelta(0)
    by_type = {p["type"]: p["data"] for p in payloads}
    overdue = by_type["task.overdue"]["task"]
    assert overdue["id"] == tasks["overdue"].pk
    assert overdue["lead_department"] == {"code": "SYT", "name": "Sở Y tế"}
    assert overdue["title"] == "Kiểm tra an toàn thực phẩm"
    assert overdue["directive_number"] == tasks["overdue"].directive.number
    assert overdue["links"] == {
        "api": f"https://dondoc.example.vn/api/v1/tasks/{tasks['overdue'].pk}/",
        "web": f"https://dondoc.example.vn/t/{tasks['overdue'].pk}/",
    }
    assert by_type["task.completed"]["task"]["status"] == "completed"
    decided = by_type["extension.decided"]
    assert decided["extension_request"]["decision"] == "approved"
    assert decided["extension_request"]["deadline_now"] == decided["task"]["deadline"]
    assert by_type["period.published"]["period"]["links"]["api"].endswith("/")

    # Recording the same events again adds nothing, and nothing more goes out.
    events.overdue_events_record()
    events.task_assigned_record(tasks["plain"])
    events.task_completed_record(Task.objects.get(pk=tasks["completed"].pk))
    assert WebhookDelivery.objects.count() == len(received)
    assert deliver_due() == {}
    assert len(receiver.received()) == len(received)


def test_a_new_lead_is_a_new_assignment(receiver: Receiver, endpoint: WebhookEndpoint) -> None:
    people = province()
    task = TaskFactory(lead_department=people["lead"])
    task_update(task_id=task.pk, actor=people["office"], data={"title": "Tên mới"})
    task_update(task_id=task.pk, actor=people["office"], data={"lead_department": people["other"]})
    deliver_due()

    leads = [r.verified(endpoint.secret)["data"]["task"]["lead_department"]["code"]
             for r in receiver.received()]  # fmt: skip
    assert leads == ["SYT", "STC"]


def test_nothing_is_recorded_for_an_event_nobody_wants(
    endpoint: WebhookEndpoint, django_assert_num_queries: Any
) -> None:
    WebhookEndpoint.objects.create(
        name="Tắt", url=endpoint.url, event_types=FIVE, is_active=False, secret=endpoint.secret
    )
    with django_assert_num_queries(1):  # the endpoints, nothing else
        assert webhook_events_record(event="directive.status", items=[("k", {})]) == 0
    assert events.tasks_assigned_record([]) == 0
    assert not WebhookDelivery.objects.exists()


def test_the_imports_recording_reads_each_chunk_once_whatever_its_tasks(
    receiver: Receiver, endpoint: WebhookEndpoint, django_assert_num_queries: Any
) -> None:
    """The bulk path loads only the fields the event's data needs: one that task_data reads
    and the load leaves out would cost a query per task."""
    lead = DepartmentFactory(code="SYT", name="Sở Y tế")
    ids = [TaskFactory(lead_department=lead).pk for _ in range(5)]
    # Asked once, then per chunk: the tasks, the endpoints, the insert.
    with django_assert_num_queries(4):
        assert events.tasks_assigned_record(ids) == 5

    payload = receiver_payloads(receiver, endpoint)[0]["task"]
    task = Task.objects.select_related("directive").get(pk=ids[0])
    assert payload["lead_department"] == {"code": "SYT", "name": "Sở Y tế"}
    assert (payload["title"], payload["directive_number"]) == (task.title, task.directive.number)
    assert (payload["status"], payload["completed_on"]) == (task.status, None)
    assert payload["deadline"] == (task.effective_deadline and task.effective_deadline.isoformat())


def receiver_payloads(receiver: Receiver, endpoint: WebhookEndpoint) -> list[dict[str, Any]]:
    """What reached the receiver, verified, oldest first (by task)."""
    deliver_due()
    payloads = [request.verified(endpoint.secret)["data"] for request in receiver.received()]
    return sorted(payloads, key=lambda data: data["task"]["id"])


def test_a_failing_receiver_is_tried_again_until_it_answers(
    receiver: Receiver, endpoint: WebhookEndpoint, clock_file: Callable, settings: Any
) -> None:
    receiver.failures = 2
    webhook_events_record(event="task.overdue", items=[("task.overdue/1/2026-06-01", {"n": 1})])
    row = WebhookDelivery.objects.get()

    assert deliver_due() == {row.pk: S.PENDING}
    row.refresh_from_db()
    assert (row.status, row.attempts) == (S.PENDING, 1)
    assert row.last_error.startswith("HTTP 500")
    assert row.send_after > clock.now()  # backoff
    assert deliver_due() == {}  # not before its time
    clock_file(delivery.MAX_BACKOFF)
    assert deliver_due() == {row.pk: S.PENDING}
    clock_file(delivery.MAX_BACKOFF)
    assert deliver_due() == {row.pk: S.SENT}

    row.refresh_from_db()
    assert (row.status, row.attempts, row.provider_message_id, row.last_error) == (
        S.SENT,
        3,
        "204",
        "",
    )
    received = receiver.received()
    assert [r.message_id for r in received] == [row.message_id] * 3  # the same webhook-id
    assert {r.body for r in received} == {row.body.encode()}
    for request in received:
        assert request.verified(endpoint.secret)["data"] == {"n": 1}


def test_after_the_last_attempt_it_is_failed_and_the_office_sends_it_again(
    receiver: Receiver, endpoint: WebhookEndpoint, clock_file: Callable, settings: Any
) -> None:
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    receiver.failures = 2
    webhook_events_record(event="task.assigned", items=[("task.assigned/7/1", {"n": 7})])
    row = WebhookDelivery.objects.get()
    deliver_due()
    clock_file(delivery.MAX_BACKOFF)
    assert deliver_due() == {row.pk: S.FAILED}
    clock_file(delivery.MAX_BACKOFF)
    assert deliver_due() == {}  # failed rows wait for the office

    office = client_for(UserFactory(role=Role.OFFICE, username="vp"))
    failed = office.get("/api/v1/webhook-deliveries/", {"status": "failed"}).json()
    assert [r["id"] for r in failed["results"]] == [row.pk]
    assert office.post(f"/api/v1/webhook-deliveries/{row.pk}/retry/").status_code == 200
    assert deliver_due() == {row.pk: S.SENT}
    assert [r.message_id for r in receiver.received()] == [row.message_id] * 3


def test_an_address_refused_at_delivery_is_a_failed_attempt(
    receiver: Receiver, endpoint: WebhookEndpoint
) -> None:
    # The URL was checked when registered; now its name resolves to loopback.
    port = receiver.server.server_address[1]
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        url=f"http://localhost:{port}/hooks", allow_private_network=False
    )
    webhook_events_record(event="task.overdue", items=[("k", {})])
    row = WebhookDelivery.objects.get()

    with translation.override("en"):  # the error is in the worker's language: English here
        assert deliver_due() == {row.pk: S.PENDING}
    row.refresh_from_db()
    assert row.last_error.startswith("URL refused: localhost is a private, loopback")
    assert receiver.received() == []


def test_a_redirect_is_not_followed_and_a_timeout_is_a_failed_attempt(
    receiver: Receiver, endpoint: WebhookEndpoint, settings: Any
) -> None:
    receiver.status = 307
    webhook_events_record(event="task.overdue", items=[("a", {})])
    assert set(deliver_due().values()) == {S.PENDING}
    assert WebhookDelivery.objects.get().last_error.startswith("HTTP 307")
    assert len(receiver.received()) == 1

    settings.WEBHOOK_TIMEOUT = 0.5
    receiver.status = 204
    receiver.stalled.set()
    webhook_events_record(event="task.overdue", items=[("b", {})])
    row = WebhookDelivery.objects.get(key="b")
    assert delivery.webhooks_deliver([row.pk]) == {row.pk: S.PENDING}
    row.refresh_from_db()
    assert "timed out" in row.last_error
    assert json.loads(row.body)["type"] == "task.overdue"


def test_a_document_goes_out_as_given_with_its_content_type(
    receiver: Receiver, endpoint: WebhookEndpoint
) -> None:
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(event_types=["directive.status"])
    xml = '<?xml version="1.0" encoding="UTF-8"?><edXMLStatus>Đã tiếp nhận</edXMLStatus>'
    recorded = webhook_document_record(
        event="directive.status",
        key="directive.status/5/1",
        body=xml.encode(),
        content_type="application/xml",
    )
    assert recorded == 1
    assert set(deliver_due().values()) == {S.SENT}

    (request,) = receiver.received()
    assert request.body == xml.encode()
    assert request.headers["content-type"] == "application/xml"
    Webhook(endpoint.secret).verify(request.body, request.headers, json_parse=False)
