"""The sweep run twice and run concurrently, while beat and the worker run theirs: no
duplicate rows, and no e-mail or SMS twice at the servers."""

import threading
from collections import Counter
from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.models import Count

from config.celery import app as celery_app
from notifications.models import Notification
from tests.integration.scenario import expected, local, observed, show
from tests.integration.support import wait_until
from tracker.models import Task
from tracker.selectors.calendar import add_working_days
from tracker.services import reminders

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

TODAY = date(2026, 3, 18)  # a Wednesday
# Deadlines that make one step of each kind due today.
OFFSETS = (5, 1, 0, -1, -5, -10, -15, -20)


def sweeps_at_once(count: int) -> list[reminders.SweepResult]:
    """`count` sweeps in threads, released together."""
    barrier = threading.Barrier(count)
    results: list[reminders.SweepResult] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait(10)
            results.append(reminders.sweep())
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    assert len(results) == count
    return results


def test_sweep_twice_and_concurrently(system, province):
    deadlines = [add_working_days(TODAY, offset) for offset in OFFSETS] * 2
    tasks = [
        province.task(
            assigned_on=TODAY - timedelta(days=60),
            deadline=deadline,
            title=f"Rà soát hồ sơ đất đai đợt {n + 1}",
        )
        for n, deadline in enumerate(deadlines)
    ]
    want = Counter()
    for deadline in deadlines:
        want += expected(province, deadline, [TODAY])
    total = sum(want.values())
    rows = Notification.objects.all()

    system.set_clock(local(TODAY))
    system.start(beat=False)
    # Two sweeps through the broker (the worker runs them in its two processes) and four
    # in threads here, all at once; then two more, one after the other.
    for _ in range(2):
        celery_app.send_task("tracker.tasks.sweep_reminders")
    first = sweeps_at_once(4)
    assert sum(r.tasks_seen for r in first) <= len(tasks)
    again = [reminders.sweep(), reminders.sweep()]
    assert all(r.steps_recorded == 0 for r in again)  # the tasks' next day is not today

    system.beat.start()
    system.beat.wait_for_log("beat: Starting...", timeout=30)
    system.settle(rows, count=total)

    # The sweep's bookkeeping lost (a restore, a bug): every step is due again and is
    # offered again, by two sweeps at once here, one more, and beat's; none is recorded twice.
    Task.objects.update(next_reminder_on=TODAY - timedelta(days=30))
    sweeps_at_once(2)
    reminders.sweep()
    # Whoever won the race (here or beat's), every task was swept again.
    wait_until(
        lambda: not Task.objects.filter(next_reminder_on__lte=TODAY).exists(),
        timeout=20,
        what="every task swept again",
    )
    system.wait_for_sweeps()
    system.wait_for_dispatches()
    system.settle(rows, count=total)

    # The key holds the task, the step, the deadline and the repetition.
    keys = ["key", "recipient", "channel"]
    assert not rows.values(*keys).annotate(n=Count("pk")).filter(n__gt=1).exists()
    for server, channel in ((system.smtp, "email"), (system.sms, "sms")):
        counts = server.counts()
        twice = {pk: n for pk, n in counts.items() if n > 1}
        assert not twice, f"{channel} received more than once: {twice}"
        assert set(counts) == set(rows.filter(channel=channel).values_list("pk", flat=True))
    got = observed(system, tasks)
    assert got == want, f"missing:\n{show(want - got)}\nunexpected:\n{show(got - want)}"
