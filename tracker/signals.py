"""What tracker tells the apps above it, which it may not import: they connect receivers
(directives/receivers.py) and are called inside the transaction of the change."""

from django.dispatch import Signal

# A task has moved to completed or cancelled; sent with `task`, under its row lock. A
# directive received from a higher body reports back once all its tasks are completed
# (cancelled ones aside), which either move may bring about.
task_closed = Signal()
