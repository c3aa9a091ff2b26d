"""Real concurrency for tests: calls run in threads of their own (each with its own
database connection), queued on a task's row lock that a third connection holds, then
released together."""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from django.db import connection

from tracker.models import Task


def connect() -> psycopg.Connection:
    """A connection of its own to the test database, outside Django."""
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        dbname=settings["NAME"],
        connect_timeout=5,
    )


@contextmanager
def task_row_locked(task: Task) -> Iterator[Callable[[int], None]]:
    """Holds `SELECT ... FOR UPDATE` on the task row until the block ends (then commits).
    Yields `wait_for_waiters(n)`, which returns once n other sessions wait on a lock."""
    holder, monitor = connect(), connect()
    monitor.autocommit = True
    try:
        holder.execute("SELECT id FROM tracker_task WHERE id = %s FOR UPDATE", [task.pk])

        def wait_for_waiters(count: int) -> None:
            limit = time.monotonic() + 15
            while time.monotonic() < limit:
                (waiting,) = monitor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
                ).fetchone()
                if waiting >= count:
                    return
                time.sleep(0.02)
            raise AssertionError(f"{count} requests never queued on the task's row lock")

        yield wait_for_waiters
        holder.commit()
    finally:
        holder.close()
        monitor.close()


def run_queued(task: Task, calls: list[Callable[[], Any]]) -> list[Any]:
    """Runs each call in a thread of its own, started in the given order, each one queued
    on the task's row lock before the next starts; then lets them all go at once."""
    results: list[Any] = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            results[index] = calls[index]()
        except BaseException as exc:  # reported in the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    with task_row_locked(task) as wait_for_waiters:
        for count, thread in enumerate(threads, start=1):
            thread.start()
            wait_for_waiters(count)
    for thread in threads:
        thread.join(timeout=30)
        assert not thread.is_alive()
    assert not errors, errors
    return results
