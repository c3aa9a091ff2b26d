from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from config.common.search import Folded


class TaskStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    AWAITING_ACCEPTANCE = "awaiting_acceptance", _("Awaiting acceptance")
    COMPLETED = "completed", _("Completed")
    PAUSED = "paused", _("Paused")
    CANCELLED = "cancelled", _("Cancelled")


# The lists' default order: the latest assigned first.
TASK_ORDERING = ("-assigned_on", "-id")

OPEN_STATUSES = (TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS, TaskStatus.AWAITING_ACCEPTANCE)


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class Task(models.Model):
    directive = models.ForeignKey(
        "directives.Directive",
        verbose_name=_("directive"),
        on_delete=models.PROTECT,
        related_name="tasks",
        db_index=False,  # task_directive_idx below leads with it
    )
    title = models.CharField(_("title"), max_length=500)
    content = models.TextField(_("content"), blank=True)
    # The folded title and content, searched without diacritics (config/common/search.py),
    # each under a trigram index on PostgreSQL (migration 0014).
    search_title = models.GeneratedField(
        expression=Folded("title"), output_field=models.TextField(), db_persist=True
    )
    search_content = models.GeneratedField(
        expression=Folded("content"), output_field=models.TextField(), db_persist=True
    )
    lead_department = models.ForeignKey(
        "tracker.Department",
        verbose_name=_("lead department"),
        on_delete=models.PROTECT,
        related_name="led_tasks",
    )
    coordinating_departments = models.ManyToManyField(
        "tracker.Department",
        verbose_name=_("coordinating departments"),
        through="tracker.TaskCoordination",
        related_name="coordinated_tasks",
        blank=True,
    )
    assigned_on = models.DateField(_("assigned on"))
    original_deadline = models.DateField(_("original deadline"), null=True, blank=True)
    effective_deadline = models.DateField(_("effective deadline"), null=True, blank=True)
    priority = models.CharField(
        _("priority"), max_length=16, choices=Priority.choices, default=Priority.NORMAL
    )
    follow_up_officer = models.ForeignKey(
        "tracker.User",
        verbose_name=_("follow-up officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followed_tasks",
    )
    supervising_leader = models.ForeignKey(
        "tracker.User",
        verbose_name=_("supervising leader"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised_tasks",
    )
    status = models.CharField(
        _("status"), max_length=24, choices=TaskStatus.choices, default=TaskStatus.ASSIGNED
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    # The local day the task's next reminder step falls due (None: nothing to send: closed,
    # paused or no deadline). Kept by tracker.services.reminders; the sweep reads only this.
    next_reminder_on = models.DateField(_("next reminder on"), null=True, blank=True)
    # Bumped on every write; the API's ETag, so concurrent edits are detected.
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = list(TASK_ORDERING)
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="task_title_not_empty"),
            models.CheckConstraint(
                condition=Q(status__in=TaskStatus.values), name="task_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(priority__in=Priority.values), name="task_priority_valid"
            ),
            models.CheckConstraint(
                condition=Q(original_deadline__isnull=True, effective_deadline__isnull=True)
                | Q(original_deadline__isnull=False, effective_deadline__isnull=False),
                name="task_deadlines_both_or_neither",
            ),
            models.CheckConstraint(
                condition=Q(original_deadline__isnull=True)
                | Q(original_deadline__gte=F("assigned_on")),
                name="task_original_deadline_after_assigned",
            ),
            models.CheckConstraint(
                condition=Q(effective_deadline__isnull=True)
                | Q(effective_deadline__gte=F("assigned_on")),
                name="task_effective_deadline_after_assigned",
            ),
            models.CheckConstraint(
                condition=Q(status=TaskStatus.COMPLETED, completed_on__isnull=False)
                | (~Q(status=TaskStatus.COMPLETED) & Q(completed_on__isnull=True)),
                name="task_completed_on_iff_completed",
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(completed_on__gte=F("assigned_on")),
                name="task_completed_after_assigned",
            ),
            # Extensions only move a deadline later; the office's edits move both. The
            # indicators rely on it: a task with effective = original had no extension.
            models.CheckConstraint(
                condition=Q(original_deadline__isnull=True)
                | Q(effective_deadline__gte=F("original_deadline")),
                name="task_effective_deadline_not_before_original",
            ),
        ]
        indexes = [
            models.Index(fields=["lead_department", "status"], name="task_lead_status_idx"),
            # A directive's tasks in the order given (its page, its API `tasks`).
            models.Index(fields=["directive", "id"], name="task_directive_idx"),
            models.Index(fields=["effective_deadline"], name="task_effective_deadline_idx"),
            # Overdue and due soon: the open tasks by their deadline in force.
            models.Index(
                fields=["effective_deadline"],
                condition=Q(status__in=OPEN_STATUSES),
                name="task_open_deadline_idx",
            ),
            # The indicators' drill-down (tracker.selectors.indicators.bucket_bounds): the
            # open tasks by their original deadline, the others by state and completion.
            models.Index(
                fields=["original_deadline", "assigned_on"],
                condition=Q(status__in=OPEN_STATUSES),
                name="task_open_original_idx",
            ),
            models.Index(fields=["status", "completed_on"], name="task_status_completed_idx"),
            models.Index(fields=["assigned_on"], name="task_assigned_on_idx"),
            models.Index(
                fields=["next_reminder_on"],
                condition=Q(next_reminder_on__isnull=False),
                name="task_next_reminder_idx",
            ),
            # The few tasks whose deadline an extension moved (the indicators' lookup).
            models.Index(
                fields=["assigned_on"],
                condition=Q(effective_deadline__gt=F("original_deadline")),
                name="task_moved_deadline_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def etag(self) -> str:
        return f'"task-{self.pk}-v{self.version}"'


class TaskCoordination(models.Model):
    """A coordinating department of a task; never the task's lead (a database trigger on
    PostgreSQL, migration 0002, holds that across both tables)."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="coordinations", verbose_name=_("task")
    )
    department = models.ForeignKey(
        "tracker.Department",
        on_delete=models.PROTECT,
        related_name="coordinations",
        verbose_name=_("department"),
    )

    class Meta:
        verbose_name = _("coordinating department")
        verbose_name_plural = _("coordinating departments")
        constraints = [
            models.UniqueConstraint(fields=["task", "department"], name="task_coordination_unique"),
        ]
        indexes = [models.Index(fields=["department", "task"], name="task_coord_dept_idx")]

    def __str__(self) -> str:
        return f"{self.task_id} ↔ {self.department_id}"
