"""What departments send about a task: progress, completion, extension requests, and the
files attached to them."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class ProgressReport(models.Model):
    task = models.ForeignKey(
        "tracker.Task",
        on_delete=models.PROTECT,
        related_name="progress_reports",
        verbose_name=_("task"),
    )
    department = models.ForeignKey(
        "tracker.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
    )
    author = models.ForeignKey(
        "tracker.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    note = models.TextField(_("note"))
    percent = models.PositiveSmallIntegerField(_("percent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__lte=100),
                name="progress_percent_at_most_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.created_at:%Y-%m-%d}"


class CompletionReportStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


class CompletionReport(models.Model):
    """The lead department's statement that the task is done. Only an accepted one counts."""

    task = models.ForeignKey(
        "tracker.Task",
        on_delete=models.PROTECT,
        related_name="completion_reports",
        verbose_name=_("task"),
    )
    department = models.ForeignKey(
        "tracker.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
    )
    # None for a report recorded by the system (a completed task imported from a file).
    author = models.ForeignKey(
        "tracker.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    completed_on = models.DateField(_("completed on"))
    result = models.TextField(_("result"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CompletionReportStatus.choices,
        default=CompletionReportStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        "tracker.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("completion report")
        verbose_name_plural = _("completion reports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CompletionReportStatus.values),
                name="completion_report_status_valid",
            ),
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(status="pending"),
                name="completion_report_one_pending_per_task",
            ),
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(status="accepted"),
                name="completion_report_one_accepted_per_task",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="completion_report_decided_iff_not_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.completed_on} {self.status}"


class ExtensionRequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ExtensionRequest(models.Model):
    task = models.ForeignKey(
        "tracker.Task",
        on_delete=models.PROTECT,
        related_name="extension_requests",
        verbose_name=_("task"),
    )
    department = models.ForeignKey(
        "tracker.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
    )
    author = models.ForeignKey(
        "tracker.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    previous_deadline = models.DateField(_("deadline before the request"))
    requested_deadline = models.DateField(_("requested deadline"))
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ExtensionRequestStatus.choices,
        default=ExtensionRequestStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        "tracker.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # The local date of the decision: an approved extension counts from this day on.
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ExtensionRequestStatus.values),
                name="extension_request_status_valid",
            ),
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(status="pending"),
                name="extension_request_one_pending_per_task",
            ),
            models.CheckConstraint(
                condition=Q(requested_deadline__gt=F("previous_deadline")),
                name="extension_request_moves_deadline_later",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True, decided_on__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False, decided_on__isnull=False)),
                name="extension_request_decided_iff_not_pending",
            ),
        ]
        indexes = [models.Index(fields=["task", "status"], name="extension_task_status_idx")]

    def __str__(self) -> str:
        return f"{self.task_id} → {self.requested_deadline} {self.status}"


class Attachment(models.Model):
    """A file attached to exactly one progress or completion report."""

    progress_report = models.ForeignKey(
        ProgressReport,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("progress report"),
    )
    completion_report = models.ForeignKey(
        CompletionReport,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("completion report"),
    )
    file = models.FileField(_("file"), upload_to="attachments/%Y/%m/", max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        "tracker.User",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_report__isnull=False, completion_report__isnull=True)
                | Q(progress_report__isnull=True, completion_report__isnull=False),
                name="attachment_belongs_to_one_report",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name
