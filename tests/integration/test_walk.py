"""A task walked day by day from its assignment past +15 working days (to the +20 repeat)
receives exactly the messages of DOMAIN.md's default policy: the right people, channels
and days, each text in its recipient's language."""

from datetime import date

import pytest

from notifications.services.messages import SMS_SEGMENT, strip_diacritics
from tests.integration.scenario import (
    check_languages,
    expected,
    local,
    observed,
    per_day,
    show,
    working_days,
)
from tests.notification_rows import about_task
from tracker.selectors.calendar import add_working_days

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

ASSIGNED = date(2026, 3, 2)  # a Monday


def test_walk_from_assignment_to_the_repeats(system, province):
    task = province.task(
        assigned_on=ASSIGNED,
        deadline_working_days=7,
        title="Triển khai tiêm chủng mở rộng năm 2026",
    )
    deadline = task.effective_deadline
    days = working_days(ASSIGNED, add_working_days(deadline, 20))
    want = expected(province, deadline, days)
    by_day = per_day(want)
    rows = about_task(task)

    system.set_clock(local(days[0]))
    system.start()
    so_far = 0
    for day in days:
        system.set_clock(local(day))
        so_far += by_day[day]
        # Beat's sweep records the day's steps, the dispatcher hands them to the worker.
        system.settle(rows, count=so_far)
    # Two more sweeps and dispatches on the last day: nothing else comes.
    system.wait_for_sweeps()
    system.wait_for_dispatches()
    system.settle(rows, count=so_far)

    got = observed(system, [task])
    assert got == want, f"missing:\n{show(want - got)}\nunexpected:\n{show(got - want)}"
    assert set(system.smtp.counts().values()) == {1}, "an e-mail arrived twice"
    assert set(system.sms.counts().values()) == {1}, "an SMS arrived twice"
    assert rows.count() == sum(want.values())
    assert province.coordinating_head.notifications.count() == 0
    for message in system.sms.messages():
        assert message.text == strip_diacritics(message.text)
        assert len(message.text) <= SMS_SEGMENT
    assert check_languages(system, [task]) == sum(want.values())
    assert {m.recipients[0] for m in system.smtp.messages()} >= {
        province.officer_en.email,
        province.director.email,
    }
