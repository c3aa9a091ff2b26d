"""gunicorn's settings for the web server (the Dockerfile's CMD and docker-compose.yml's web
service: `gunicorn -c config/gunicorn.conf.py config.wsgi:application`).

Workers and threads are sized from the cores the process may use, overridable with
WEB_CONCURRENCY (processes) and WEB_THREADS (threads per process). The choice, measured
with bench/concurrency_bench.py (bench/README.md, "Concurrency"; 20 clients over the list,
a detail and the indicators, on 2 cores shared with PostgreSQL):

- gthread workers: a request waiting on PostgreSQL (the indicators' aggregation, a page of
  tasks and its count) leaves its process's other threads working, and a long export or
  import holds one thread, not a whole worker. With the cores loaded by other work, 2
  processes of 4 threads served 17.4 requests/s where 3 or 5 sync workers served 11.4 and
  13.0; on a quiet machine they tie (26 against 25-33), sync with the shorter tail;
- one process per core (at least two, so that one busy process never holds every
  request): the GIL runs one thread of a process at a time, and PostgreSQL needs the
  cores too. Under load 3 processes of 4 threads served 14.6 requests/s, quiet 27;
- each thread keeps its own database session (CONN_MAX_AGE in config/settings.py), so a
  web container holds up to workers x threads sessions: 8 on 2 cores.

Options given on the command line or in GUNICORN_CMD_ARGS take precedence over these.
"""

import math
import os
from pathlib import Path

CPU_MAX = Path("/sys/fs/cgroup/cpu.max")


def cores(cpu_max: Path = CPU_MAX) -> int:
    """The cores this process may use: those it may run on (a container's cpuset, else the
    host's), fewer under a CPU quota (docker's --cpus / compose's cpus: cgroup v2's
    cpu.max, "<quota> <period>" or "max <period>"), rounded up."""
    linux = hasattr(os, "sched_getaffinity")
    count = len(os.sched_getaffinity(0)) if linux else (os.cpu_count() or 1)
    try:
        quota, period = cpu_max.read_text().split()
    except (OSError, ValueError):
        return count
    if quota == "max":
        return count
    return max(1, min(count, math.ceil(int(quota) / int(period))))


def _positive(name: str, default: int) -> int:
    value = int(os.environ.get(name) or default)
    if value < 1:
        raise ValueError(f"{name} must be at least 1, not {value}")
    return value


bind = "0.0.0.0:8000"
worker_class = "gthread"
workers = _positive("WEB_CONCURRENCY", max(2, cores()))
threads = _positive("WEB_THREADS", 4)
# A gthread worker is restarted when its main loop stalls this long (a process stuck as a
# whole); unlike a sync worker's, this is no limit on one request, which the application
# bounds itself (IMPORT_TIME_BUDGET_SECONDS) and nginx gives up on after 90 s.
timeout = 60
graceful_timeout = 30
# The workers' heartbeat files: in memory, never on a container's overlay disk.
worker_tmp_dir = "/dev/shm"
# nginx, in front, is the only client: trust its X-Forwarded-* headers (docs/security.md).
forwarded_allow_ips = "*"
accesslog = "-"
