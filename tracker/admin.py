"""Django admin. Writes go through the same services as the API, so the rules and the
history are the same whichever door an official uses."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.templatetags import admin_list
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ManyToManyField
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from config.common.admin import label_choices_with
from config.common.errors import TransitionNotAllowed
from config.common.text import StrOrPromise
from config.common.users import signed_in_user
from tracker.admin_departments import DepartmentAdmin as DepartmentAdmin  # registers it
from tracker.admin_rates import NamedRateAdmin as NamedRateAdmin  # registers it
from tracker.admin_scoring import ReadOnlyAdmin  # and registers the rules kept as data
from tracker.admin_scoring import ReminderStepForm as ReminderStepForm  # where it was
from tracker.admin_security import LockoutMessageMixin  # and registers the sign-in pages
from tracker.admin_users import GroupRightsMixin, UserRightsMixin
from tracker.models import Department, Task, TaskHistory, User
from tracker.selectors.history import actor_name, history_entry_in_words, history_in_words
from tracker.services import lifecycle
from tracker.services.tasks import task_create, task_rule_errors, task_update

BOOLEAN_ICONS = {True: ("yes", _("Yes")), False: ("no", _("No")), None: ("unknown", _("Unknown"))}


def boolean_icon(value: bool | None) -> str:
    icon, words = BOOLEAN_ICONS[value]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), words)


# Django's lists and read-only fields draw a yes/no as an icon whose text (what a screen
# reader reads) is Python's "True"/"False" whatever the language. They import this function
# from admin_list each time they draw one, so it is replaced there.
admin_list._boolean_icon = boolean_icon  # type: ignore[attr-defined]  # private: no stub

admin.site.site_header = _("Đôn đốc – directive follow-up")
admin.site.site_title = _("Đôn đốc")
admin.site.index_title = _("System administration")


class StaffOnlyAuthenticationForm(LockoutMessageMixin, AdminAuthenticationForm):
    """An official with the right password who is not a system administrator is told where
    their work is (the web application) instead of "wrong password"."""

    not_staff = False

    def confirm_login_allowed(self, user: User) -> None:
        if user.is_active and not user.is_staff:
            self.not_staff = True
            raise ValidationError(_("The admin is for system administrators only."), "not_staff")
        super().confirm_login_allowed(user)


admin.site.login_form = StaffOnlyAuthenticationForm


PERMISSION_WORDS = {
    "add": _("May add %(name)s"),
    "change": _("May change %(name)s"),
    "delete": _("May delete %(name)s"),
    "view": _("May view %(name)s"),
}


def permission_label(permission: Permission) -> str:
    """Django stores a permission's name in English when it migrates ("Can add task"); this
    says it in the active language from the model's own (translated) names."""
    model = permission.content_type.model_class()
    if model is None:
        return permission.name
    action = permission.codename.split("_", 1)[0]
    words = PERMISSION_WORDS.get(action)
    if words is None or permission.codename != f"{action}_{model._meta.model_name}":
        return permission.name
    app = apps.get_app_config(model._meta.app_label).verbose_name
    name = str(model._meta.verbose_name)  # mid-sentence: "nhóm", but "API"
    name = name[:1].lower() + name[1:] if name[1:2].islower() else name
    return f"{app} | {words % {'name': name}}"


if TYPE_CHECKING:
    # What the mixin below is mixed into, told to the type checker only: at run time it
    # stays a plain class, and each admin's bases are its own.
    AdminMixinBase = admin.ModelAdmin[Any]
else:
    AdminMixinBase = object


class PermissionLabelsMixin(AdminMixinBase):
    # Django's two-list picker writes its instructions and buttons in English (its script's
    # catalog lacks them in Vietnamese): permissions and groups are chosen in one list.
    filter_horizontal = ()

    def formfield_for_manytomany(
        self,
        db_field: "ManyToManyField[Any, Any]",
        request: HttpRequest | None = None,  # optional in GroupAdmin's, as in Django's
        **kwargs: Any,
    ) -> forms.ModelMultipleChoiceField | None:
        if db_field.related_model in (Permission, Group):
            kwargs["widget"] = forms.SelectMultiple(attrs={"size": 16})
        # Passed on as Django's GroupAdmin does; the stubs' BaseModelAdmin wants one.
        field = super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[arg-type]
        if (
            field is not None
            and field.queryset is not None
            and db_field.related_model is Permission
        ):
            field.queryset = field.queryset.select_related("content_type")
            label_choices_with(field, permission_label)
        return field


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(GroupRightsMixin, PermissionLabelsMixin, DjangoGroupAdmin):
    pass


class PasswordChangeForm(AdminPasswordChangeForm):
    # Django appends this warning to the help text as a plain English string. (Django's own
    # is lazy too: the stubs call it a str.)
    usable_password_help_text = format_lazy(  # type: ignore[assignment]
        "{}<ul id='id_unusable_warning' class='messagelist'><li class='warning'>{}</li></ul>",
        SetUnusablePasswordMixin.usable_password_help_text,
        _("If disabled, the current password for this user will be lost."),
    )


@admin.register(User)
class UserAdmin(UserRightsMixin, PermissionLabelsMixin, DjangoUserAdmin):
    change_password_form = PasswordChangeForm
    list_display = ("username", "full_name", "role", "department", "is_active")
    list_filter = ("role", "is_active", "department")
    search_fields = ("username", "full_name", "email", "phone")
    fieldsets = (
        # UserAdmin has fieldsets; the stubs only know BaseModelAdmin's None.
        *DjangoUserAdmin.fieldsets,  # type: ignore[misc]
        (_("Đôn đốc"), {"fields": ("full_name", "phone", "role", "department", "language")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Đôn đốc"), {"fields": ("full_name", "email", "phone", "role", "department")}),
    )


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
        label=capfirst(_("coordinating departments")),
    )
    deadline = forms.DateField(label=capfirst(_("deadline")), required=False)

    class Meta:
        model = Task
        fields = TASK_FORM_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["coordinating"] = list(self.instance.coordinating_departments.all())
            self.initial["deadline"] = self.instance.effective_deadline

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
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


def local_time(moment: Any) -> str:
    local = timezone.localtime(moment)
    date = formats.date_format(local, "SHORT_DATE_FORMAT")
    return f"{date} {formats.time_format(local, 'TIME_FORMAT')}"


def history_table(entries: Any) -> StrOrPromise:
    """The task's history as officials read it: when (local time), who, what happened in a
    sentence, why. A table rather than an inline: Django's inline rows print each entry's
    raw str() (codes and UTC) beside it."""
    lines = history_in_words(entries)
    if not lines:
        return _("No history yet.")
    head = format_html_join(
        "",
        "<th scope='col'>{}</th>",
        [(_("at"),), (_("actor"),), (_("what happened"),), (_("reason"),)],
    )
    rows = format_html_join(
        "",
        "<tr><td class='nowrap'>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        [(local_time(line.at), line.actor, line.text, line.reason or "–") for line in lines],
    )
    return format_html(
        "<table id='history'><thead><tr>{}</tr></thead><tbody>{}</tbody></table>",
        head,
        rows,
    )


class TaskActionForm(ActionForm):
    reason = forms.CharField(label=capfirst(_("reason")), required=False, max_length=2000)


def _lifecycle_action(
    name: str, label: StrOrPromise, service: Callable[..., Any], needs_reason: bool = True
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
                service(task_id=task.pk, actor=signed_in_user(request), **kwargs)
                done += 1
            except (PermissionDenied, TransitionNotAllowed, ValidationError) as exc:
                modeladmin.message_user(request, f"{task}: {exc}", messages.WARNING)
        if done:
            modeladmin.message_user(request, _("%(count)d task(s) updated.") % {"count": done})

    run.__name__ = name
    return admin.action(description=label)(run)


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
    readonly_fields = ("status", "original_deadline", "completed_on", "version", "history")
    fields = (*TASK_FORM_FIELDS, "coordinating", "deadline", *readonly_fields)

    def get_fields(self, request: HttpRequest, obj: Task | None = None) -> tuple[str, ...]:
        return self.fields if obj is not None else self.fields[:-1]  # no history before it

    @admin.display(description=_("task history"))
    def history(self, task: Task) -> StrOrPromise:
        return history_table(task.history.select_related("actor__department"))

    def save_model(
        self, request: HttpRequest, obj: Task, form: TaskAdminForm, change: bool
    ) -> None:
        data: dict[str, Any] = {name: form.cleaned_data.get(name) for name in TASK_FORM_FIELDS}
        data["coordinating_departments"] = list(form.cleaned_data["coordinating"])
        data["deadline"] = form.cleaned_data.get("deadline")
        if change:
            data.pop("directive")
            task = task_update(task_id=obj.pk, actor=signed_in_user(request), data=data)
        else:
            task = task_create(actor=signed_in_user(request), **data)
        form.instance = task
        obj.pk = task.pk

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TaskHistory)
class TaskHistoryAdmin(ReadOnlyAdmin):
    """Every task's history, newest first, in words. An entry is read on its task's page
    (with the entries around it), so its own page leads there."""

    list_display = ("when", "task_link", "by", "what", "reason")
    list_display_links = None
    list_filter = ("action",)
    list_select_related = ("task", "actor__department")
    search_fields = ("task__title", "reason")
    date_hierarchy = "at"
    ordering = ("-at", "-id")

    @admin.display(description=_("at"), ordering="at")
    def when(self, entry: TaskHistory) -> str:
        return local_time(entry.at)

    @admin.display(description=_("task"))
    def task_link(self, entry: TaskHistory) -> str:
        url = reverse("admin:tracker_task_change", args=[entry.task_id])
        return format_html("<a href='{}#history'>{}</a>", url, entry.task.title)

    @admin.display(description=_("actor"))
    def by(self, entry: TaskHistory) -> str:
        return actor_name(entry.actor)

    @admin.display(description=_("what happened"))
    def what(self, entry: TaskHistory) -> str:
        return history_entry_in_words(entry)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        entry = self.get_object(request, object_id)
        if entry is None or not self.has_view_permission(request, entry):
            return super().change_view(request, object_id, form_url, extra_context)
        url = reverse("admin:tracker_task_change", args=[entry.task_id])
        return HttpResponseRedirect(f"{url}#history")

    # The entry's history is its task's page too. Django calls it with the request and the
    # id alone, which change_view takes as well: the stubs compare the whole signatures.
    history_view = change_view  # type: ignore[assignment]
