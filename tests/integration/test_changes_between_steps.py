"""Changes between two steps. An extension approved after the early reminder: the old
deadline's later steps never go out, the new deadline's steps do, from its own early
reminder. A task completed (reported and accepted) after the early reminder: nothing more.

The lifecycle services check their dates against the real date (an extension is asked for
on or before the deadline; a completion date is not in the future), so the tasks are
assigned today and the clock then walks ahead of the real date."""

import pytest
from django.utils import timezone

from notifications.models import Notification
from tests.integration.scenario import expected, local, observed, per_day, show
from tests.notification_rows import about_task, key_of
from tracker.models import TaskStatus
from tracker.selectors.calendar import add_working_days
from tracker.services.lifecycle import (
    completion_accept,
    completion_report_create,
    extension_approve,
    extension_request_create,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_extension_and_completion_between_steps(system, province):
    today = timezone.localdate()
    extended = province.task(
        assigned_on=today, deadline_working_days=8, title="Xây dựng đề án chuyển đổi số"
    )
    completed = province.task(
        assigned_on=today, deadline_working_days=8, title="Kiểm tra việc cấp phép xây dựng"
    )
    old = extended.effective_deadline
    new = add_working_days(old, 10)

    def day(deadline, offset):
        return add_working_days(deadline, offset)

    before = [day(old, -5)]
    after = [day(old, -1), day(old, 0), day(old, 1), day(new, -5), day(new, -1), day(new, 0)]
    after += [day(new, 1)]
    assert day(new, -5) == day(old, 5)  # the old escalation 2 and the new early reminder
    want_extended = expected(province, old, before) + expected(province, new, after)
    want_completed = expected(province, old, before)
    wanted = per_day(want_extended + want_completed)
    rows = Notification.objects.all()

    system.set_clock(local(before[0]))
    system.start()
    system.settle(rows, count=wanted[before[0]])

    # Between the steps: the lead asks for an extension, the office approves it; the other
    # task is reported done and accepted.
    request = extension_request_create(
        task_id=extended.pk,
        actor=province.officer_vi,
        requested_deadline=new,
        reason="Chờ ý kiến thẩm định của Bộ Thông tin và Truyền thông",
    )
    extension_approve(request_id=request.pk, actor=province.follow_up, note="Đồng ý gia hạn")
    completion_report_create(
        task_id=completed.pk,
        actor=province.head,
        completed_on=today,
        result="Đã kiểm tra 12 công trình, báo cáo kèm theo",
    )
    completion_accept(task_id=completed.pk, actor=province.follow_up)
    completed.refresh_from_db()
    assert completed.status == TaskStatus.COMPLETED

    so_far = wanted[before[0]]
    for moment in after:
        system.set_clock(local(moment))
        so_far += wanted[moment]
        system.settle(rows, count=so_far)
    system.wait_for_sweeps()
    system.wait_for_dispatches()
    system.settle(rows, count=so_far)

    got = observed(system, [extended])
    assert got == want_extended, f"missing:\n{show(want_extended - got)}\n" + (
        f"unexpected:\n{show(got - want_extended)}"
    )
    got = observed(system, [completed])
    assert got == want_completed, f"missing:\n{show(want_completed - got)}\n" + (
        f"unexpected:\n{show(got - want_completed)}"
    )
    old_steps = {n.code for n in about_task(extended) if key_of(n).deadline == old}
    assert old_steps == {"early_reminder"}
    new_steps = {n.code for n in about_task(extended) if key_of(n).deadline == new}
    assert new_steps == {"early_reminder", "last_reminder", "due_today", "escalation_1"}
    assert set(about_task(completed).values_list("code", flat=True)) == {"early_reminder"}
    assert set(system.smtp.counts().values()) == {1}
    assert set(system.sms.counts().values()) == {1}
