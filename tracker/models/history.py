from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TaskHistoryAction(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Updated")
    STATUS_CHANGED = "status_changed", _("Status changed")
    DEADLINE_CHANGED = "deadline_changed", _("Deadline changed")
    LEAD_CHANGED = "lead_changed", _("Lead department changed")
    COORDINATING_CHANGED = "coordinating_changed", _("Coordinating departments changed")


class AppendOnlyError(Exception):
    pass


class TaskHistoryQuerySet(models.QuerySet):
    def update(self, **kwargs: object) -> int:
        raise AppendOnlyError("Task history is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Task history is append-only.")


class TaskHistory(models.Model):
    """One change of a task. Append-only: rows are never updated or deleted (a trigger
    enforces it on PostgreSQL, migration 0002)."""

    task = models.ForeignKey(
        "tracker.Task", on_delete=models.PROTECT, related_name="history", verbose_name=_("task")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        "tracker.User",
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=32, choices=TaskHistoryAction.choices)
    field = models.CharField(_("field"), max_length=64, blank=True)
    old = models.JSONField(_("old value"), null=True, blank=True)
    new = models.JSONField(_("new value"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    objects = TaskHistoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("task history entry")
        verbose_name_plural = _("task history")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["task", "at"], name="task_history_task_at_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=TaskHistoryAction.values),
                name="task_history_action_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} · {self.get_action_display()}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Task history is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Task history is append-only.")
