"""Django admin. Writes go through the same services as the API, so the rules and the
history are the same whichever door an official uses."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.helpers import ActionForm
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tracker.admin_scoring import (  # and registers the scoring rules and periods
    ReadOnlyAdmin,
    ReadOnlyInline,
)
from tracker.errors import TransitionNotAllowed
from tracker.models import (
    Audience,
    CalendarAdjustment,
    Channel,
    Department,
    Priority,
    ReminderPolicy,
    ReminderStep,
    Task,
    TaskHistory,
    User,
)
from tracker.services import lifecycle
from tracker.services.tasks import task_create, task_rule_errors, task_update

admin.site.site_header = _("Đôn đốc – directive follow-up")
admin.site.site_title = _("Đôn đốc")


class StaffOnlyAuthenticationForm(AdminAuthenticationForm):
    """An official with the right password who is not a system administrator is told where
    their work is (the web application) instead of "wrong password"."""

    not_staff = False

    def confirm_login_allowed(self, user: User) -> None:
        if user.is_active and not user.is_staff:
            self.not_staff = True
            raise ValidationError(_("The admin is for system administrators only."), "not_staff")
        super().confirm_login_allowed(user)


admin.site.login_form = StaffOnlyAuthenticationForm


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "full_name", "role", "department", "is_active")
    list_filter = ("role", "is_active", "department")
    search_fields = ("username", "full_name", "email", "phone")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Đôn đốc"), {"fields": ("full_name", "phone", "role", "department", "language")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Đôn đốc"), {"fields": ("full_name", "email", "phone", "role", "department")}),
    )


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "head", "supervising_leader", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)
    raw_id_fields = ("head", "supervising_leader")


TASK_FORM_FIELDS = (
    "directive",
    "title",
    "content",
    "lead_department",
    "assigned_on",
    "priority",
    "follow_up_officer",
    "supervising_leader",
)


class TaskAdminForm(forms.ModelForm):
    # Not named after the model field: its through model keeps the admin from editing it.
    coordinating = forms.ModelMultipleChoiceField(
        queryset=Department.objects.filter(active=True),
        required=False,
        label=_("coordinating departments"),
    )
    deadline = forms.DateField(label=_("deadline"), required=False)

    class Meta:
        model = Task
        fields = TASK_FORM_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["coordinating"] = list(self.instance.coordinating_departments.all())
            self.initial["deadline"] = self.instance.effective_deadline

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("lead_department") and data.get("assigned_on"):
            errors = task_rule_errors(
                assigned_on=data["assigned_on"],
                deadline=data.get("deadline"),
                lead_department=data["lead_department"],
                coordinating_departments=data.get("coordinating") or [],
            )
            if "coordinating_departments" in errors:
                errors["coordinating"] = errors.pop("coordinating_departments")
            if errors:
                raise ValidationError(errors)
        return data


class TaskHistoryInline(ReadOnlyInline):
    model = TaskHistory
    fields = ("at", "actor", "action", "field", "old", "new", "reason")
    readonly_fields = fields


class TaskActionForm(ActionForm):
    reason = forms.CharField(label=_("reason"), required=False, max_length=2000)


def _lifecycle_action(
    name: str, label: str, service: Callable[..., Any], needs_reason: bool = True
) -> Callable[..., None]:
    """An admin action running one lifecycle step on each selected task, as the signed-in
    user: the same rules as the API, refusals reported per task."""

    def run(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: Any) -> None:
        reason = request.POST.get("reason", "").strip()
        if needs_reason and not reason:
            modeladmin.message_user(request, _("Give a reason."), messages.ERROR)
            return
        done = 0
        for task in queryset:
            try:
                kwargs = {"reason": reason} if needs_reason else {}
                service(task_id=task.pk, actor=request.user, **kwargs)
                done += 1
            except (PermissionDenied, TransitionNotAllowed, ValidationError) as exc:
                modeladmin.message_user(request, f"{task}: {exc}", messages.WARNING)
        if done:
            modeladmin.message_user(request, _("%(count)d task(s) updated.") % {"count": done})

    run.__name__ = name
    run.short_description = label  # type: ignore[attr-defined]
    return run


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    form = TaskAdminForm
    action_form = TaskActionForm
    actions = (
        _lifecycle_action(
            "accept_completion",
            _("Accept the completion report"),
            lifecycle.completion_accept,
            needs_reason=False,
        ),
        _lifecycle_action(
            "return_completion", _("Return the completion report"), lifecycle.completion_return
        ),
        _lifecycle_action("pause", _("Pause"), lifecycle.task_pause),
        _lifecycle_action("resume", _("Resume"), lifecycle.task_resume),
        _lifecycle_action("cancel", _("Cancel"), lifecycle.task_cancel),
    )
    list_display = (
        "title",
        "lead_department",
        "status",
        "assigned_on",
        "effective_deadline",
        "priority",
    )
    list_filter = ("status", "priority", "lead_department")
    search_fields = ("title", "content", "directive__number")
    date_hierarchy = "assigned_on"
    raw_id_fields = ("directive", "follow_up_officer", "supervising_leader")
    readonly_fields = ("status", "original_deadline", "completed_on", "version")
    fields = (*TASK_FORM_FIELDS, "coordinating", "deadline", *readonly_fields)
    inlines = (TaskHistoryInline,)

    def save_model(
        self, request: HttpRequest, obj: Task, form: TaskAdminForm, change: bool
    ) -> None:
        data = {name: form.cleaned_data.get(name) for name in TASK_FORM_FIELDS}
        data["coordinating_departments"] = list(form.cleaned_data["coordinating"])
        data["deadline"] = form.cleaned_data.get("deadline")
        if change:
            data.pop("directive")
            task = task_update(task_id=obj.pk, actor=request.user, data=data)
        else:
            task = task_create(actor=request.user, **data)
        form.instance = task
        obj.pk = task.pk

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TaskHistory)
class TaskHistoryAdmin(ReadOnlyAdmin):
    list_display = ("task", "at", "actor", "action", "field", "reason")
    list_filter = ("action",)
    search_fields = ("task__title", "reason")
    date_hierarchy = "at"


@admin.register(CalendarAdjustment)
class CalendarAdjustmentAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "note")
    list_filter = ("kind",)
    date_hierarchy = "date"


class ReminderStepForm(forms.ModelForm):
    """Audiences and channels are picked from their fixed lists, so nothing else can be
    stored in the step's JSON fields."""

    audiences = forms.MultipleChoiceField(
        label=_("audiences"), choices=Audience.choices, widget=forms.CheckboxSelectMultiple
    )
    channels = forms.MultipleChoiceField(
        label=_("channels"), choices=Channel.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ReminderStep
        fields = (
            "code",
            "name",
            "kind",
            "offset_working_days",
            "repeat_every_working_days",
            "audiences",
            "channels",
        )

    def clean_audiences(self) -> list[str]:
        chosen = set(self.cleaned_data["audiences"])
        return [audience for audience in Audience.values if audience in chosen]

    def clean_channels(self) -> list[str]:
        chosen = set(self.cleaned_data["channels"])
        return [channel for channel in Channel.values if channel in chosen]


class ReminderStepFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        steps = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if not steps:
            return
        last = max(steps, key=lambda step: step["offset_working_days"])
        if any(step.get("repeat_every_working_days") and step is not last for step in steps):
            raise ValidationError(_("Only the last step of a policy may repeat."))


class ReminderStepInline(admin.TabularInline):
    model = ReminderStep
    form = ReminderStepForm
    formset = ReminderStepFormSet
    extra = 0


class ReminderPolicyForm(forms.ModelForm):
    priority = forms.ChoiceField(
        label=_("for priority"),
        choices=[("", _("Every task (default policy)")), *Priority.choices],
        required=False,
    )

    class Meta:
        model = ReminderPolicy
        fields = ("name", "priority", "active")


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(admin.ModelAdmin):
    """The reminder and escalation policy is data: the office edits its steps here; urgent
    tasks may have a policy of their own."""

    form = ReminderPolicyForm
    list_display = ("name", "priority", "active")
    list_filter = ("active", "priority")
    inlines = (ReminderStepInline,)
