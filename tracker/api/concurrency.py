"""ETag / If-Match for tasks: a client sends back the ETag it read, and a write on a newer
version answers 412 instead of silently overwriting someone else's change."""

import re

from rest_framework.request import Request

from config.common.errors import PreconditionFailed
from tracker.models import Task

_TASK_ETAG = re.compile(r'^"task-(?P<id>\d+)-v(?P<version>\d+)"$')


def expected_version(request: Request, task: Task) -> int | None:
    """The version the client's If-Match names; None when it sent none (or `*`). A stale one
    fails at once, before the body is even validated; the service checks again under lock."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    match = _TASK_ETAG.match(header)
    if match is None or int(match["id"]) != task.pk or int(match["version"]) != task.version:
        raise PreconditionFailed
    return int(match["version"])
