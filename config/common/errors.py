"""Domain errors raised by services; the API maps them to HTTP statuses."""


class PreconditionFailed(Exception):
    """The caller's version of a task (If-Match) is not the current one."""


class TransitionNotAllowed(Exception):
    """The task's current state does not allow the action."""
