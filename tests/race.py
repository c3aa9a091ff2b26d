"""A call that races a transaction committed under its feet: the other transaction has
written (a row, a unique-index entry, a row lock) and not committed when the call starts;
once the call waits on it, it commits. Real PostgreSQL connections, no mocks."""

import threading
import time
from collections.abc import Callable
from typing import Any

from django.db import connection

from tests.concurrency import connect


def _wait_for_a_waiter(holder_pid: int) -> None:
    monitor = connect()
    monitor.autocommit = True
    try:
        limit = time.monotonic() + 15
        while time.monotonic() < limit:
            (waiting,) = monitor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> %s",
                [holder_pid],
            ).fetchone()
            if waiting:
                return
            time.sleep(0.02)
        raise AssertionError("the call never waited on the other transaction")
    finally:
        monitor.close()


def run_behind(statement: str, params: list[Any], call: Callable[[], Any]) -> tuple[Any, Any]:
    """Runs `statement` in an open transaction of another connection, then `call` in a
    thread (its own Django connection); commits the other transaction once the call waits
    on it. Returns (what the call returned, what it raised)."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["result"] = call()
        except Exception as exc:  # reported to the test
            outcome["error"] = exc
        finally:
            connection.close()

    holder = connect()
    try:
        holder.execute(statement, params)
        thread = threading.Thread(target=run)
        thread.start()
        _wait_for_a_waiter(holder.info.backend_pid)
        holder.commit()
        thread.join(timeout=30)
        assert not thread.is_alive()
    finally:
        holder.close()
    return outcome.get("result"), outcome.get("error")
