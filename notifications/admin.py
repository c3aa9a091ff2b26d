"""Django admin for notifications: the office follows deliveries up (read only, with a
"retry" action for failed ones), may look at or correct a user's channel preferences, and
chooses whether SMS keep their diacritics (the single MessageSettings row); the Zalo
channel's templates and token are in admin_zalo. It also shows
the periodic tasks that send them (django-celery-beat's admin, in words and in the active
language)."""

import calendar
import re
from typing import Any

import cron_descriptor
from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)
from kombu.utils.json import loads

from config.common.admin import ReadableTitleAdmin, SingletonSettingsAdmin, label_choices_with
from notifications.admin_webhooks import WebhookEndpointAdmin as WebhookEndpointAdmin  # registers
from notifications.admin_zalo import ZaloTokenAdmin as ZaloTokenAdmin  # registers it
from notifications.models import (
    Channel,
    MessageSettings,
    Notification,
    NotificationPreference,
    NotificationStatus,
    channels_in_order,
)
from notifications.services.delivery import notification_retry
from notifications.services.message_settings import message_settings_update


@admin.register(Notification)
class NotificationAdmin(ReadableTitleAdmin):
    list_display = (
        "recipient",
        "channel",
        "kind",
        "status",
        "attempts",
        "send_after",
        "sent_at",
        "opens",
    )
    list_filter = ("status", "channel", "kind")
    list_select_related = ("recipient",)
    search_fields = ("recipient__username", "recipient__full_name", "subject", "=key")
    date_hierarchy = "created_at"
    actions = ("retry",)
    fields = (
        "kind", "recipient", "channel", "language", "key", "code", "about", "about_id",
        "opens", "subject", "body", "status", "attempts", "last_error", "send_after",
        "claimed_at", "sent_at", "provider_message_id", "read_at", "created_at",
    )  # fmt: skip
    readonly_fields = fields

    @admin.display(description=_("link"))
    def opens(self, notification: Notification) -> str:
        """The web page of the message's subject, as a link (none: "–")."""
        if not notification.link:
            return "–"
        return format_html('<a href="{}">{}</a>', notification.link, notification.link)

    @admin.action(description=_("Retry the failed deliveries"), permissions=["change"])
    def retry(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        retried = sum(
            notification_retry(notification)
            for notification in queryset.filter(status=NotificationStatus.FAILED)
        )
        skipped = queryset.count() - retried
        self.message_user(
            request, _("%(count)d notification(s) will be sent again.") % {"count": retried}
        )
        if skipped:
            self.message_user(
                request,
                _("%(count)d notification(s) had not failed and were left alone.")
                % {"count": skipped},
                messages.WARNING,
            )

    def title_of(self, obj: Notification) -> str:
        return (
            f"{obj.get_kind_display()} → {obj.recipient} "
            f"({obj.get_channel_display()}, {obj.get_status_display()})"
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class NotificationPreferenceForm(forms.ModelForm):
    channels = forms.MultipleChoiceField(
        label=capfirst(_("channels")),
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None: no message of this kind (escalations are sent all the same)."),
    )

    class Meta:
        model = NotificationPreference
        fields = ("user", "kind", "channels")

    def clean_channels(self) -> list[str]:
        return channels_in_order(self.cleaned_data["channels"])


def channel_labels(codes: list[str]) -> str:
    labels = dict(Channel.choices)
    return ", ".join(str(labels.get(code, code)) for code in codes) or "–"


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ReadableTitleAdmin):
    form = NotificationPreferenceForm
    list_display = ("user", "kind", "channel_list")
    list_filter = ("kind",)
    list_select_related = ("user",)
    search_fields = ("user__username", "user__full_name")
    raw_id_fields = ("user",)

    @admin.display(description=_("channels"))
    def channel_list(self, preference: NotificationPreference) -> str:
        return channel_labels(preference.channels)

    def title_of(self, obj: NotificationPreference) -> str:
        return f"{obj.user} – {obj.get_kind_display()}: {channel_labels(obj.channels)}"

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # ticking every channel is the default again


@admin.register(MessageSettings)
class MessageSettingsAdmin(SingletonSettingsAdmin):
    fields = ("sms_with_diacritics",)
    update = staticmethod(message_settings_update)


# --- The periodic tasks (django-celery-beat): the reminder sweep, delivery, the digest -----

CRON_LOCALES = {"vi": "vi_VN", "en": "en_US"}
CRON_FIELDS = ("minute", "hour", "day_of_month", "month_of_year", "day_of_week")


def crontab_expression(crontab: CrontabSchedule) -> str:
    return " ".join(str(getattr(crontab, name)) for name in CRON_FIELDS)


def crontab_in_words(crontab: CrontabSchedule) -> str:
    """The schedule as a sentence in the active language. django-celery-beat's own
    description is always English; cron_descriptor has a Vietnamese catalog, but takes the
    names of days and months from the C locale, so Django's names replace them."""
    options = cron_descriptor.Options()
    options.locale_code = CRON_LOCALES.get(get_language() or "", "en_US")
    options.use_24hour_time_format = True
    try:
        text: str = cron_descriptor.get_description(crontab_expression(crontab), options)
    except (cron_descriptor.FormatException, cron_descriptor.MissingFieldException):
        return crontab_expression(crontab)
    for number, name in enumerate(calendar.day_name):
        text = re.sub(rf"\b{name}\b", str(WEEKDAYS[number]), text)
    for number in range(1, 13):
        text = re.sub(rf"\b{calendar.month_name[number]}\b", str(MONTHS[number]), text)
    return text


def crontab_title(crontab: CrontabSchedule) -> str:
    return f"{crontab_in_words(crontab)} ({crontab.timezone})"


def schedule_in_words(task: PeriodicTask) -> str:
    if task.crontab_id:
        return crontab_title(task.crontab)
    if task.clocked_id:
        return formats.localize(timezone.localtime(task.clocked.clocked_time))
    return str(task.interval or task.solar or "–")


for model in (PeriodicTask, CrontabSchedule, IntervalSchedule, SolarSchedule, ClockedSchedule):
    admin.site.unregister(model)

SCHEDULE_FIELDS = ("interval", "crontab", "solar", "clocked")
RENAMED = {"crontab_translation": "schedule"}


class PeriodicTaskForm(beat_admin.PeriodicTaskForm):
    def clean(self) -> dict[str, Any]:
        try:
            cleaned: dict[str, Any] = super().clean()
            return cleaned
        finally:
            data = self.cleaned_data
            if len([name for name in SCHEDULE_FIELDS if data.get(name)]) != 1:
                self.add_error(
                    None,
                    _("Choose one schedule, and only one: by interval, cron, sun or clock time."),
                )
            elif data.get("clocked") and not data.get("one_off"):
                self.add_error("one_off", _("A schedule by clock time runs once: tick this box."))

    def validate_unique(self) -> None:
        # The model's own checks say the errors above again, in English only.
        if not self._errors:
            super().validate_unique()


class TaskNameFilter(admin.AllValuesFieldListFilter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.title = _("Celery task")  # the field's own name is English only


@admin.register(PeriodicTask)
class PeriodicTaskAdmin(ReadableTitleAdmin, beat_admin.PeriodicTaskAdmin):
    """django-celery-beat's, with the schedule in words (its list and its crontab help are
    English whatever the language) and Django's own change form."""

    form = PeriodicTaskForm
    change_form_template = "admin/change_form.html"
    list_display = ("name", "enabled", "schedule", "start_time", "last_run_at", "one_off")
    list_filter = ("enabled", "one_off", ("task", TaskNameFilter), "start_time", "last_run_at")
    readonly_fields = ("last_run_at", "schedule")
    fieldsets = [  # django-celery-beat's, with the schedule in words
        (title, options | {"fields": [RENAMED.get(name, name) for name in options["fields"]]})
        for title, options in beat_admin.PeriodicTaskAdmin.fieldsets
    ]

    @admin.display(description=_("schedule in words"))
    def schedule(self, task: PeriodicTask) -> str:
        return schedule_in_words(task) if task.pk else "–"

    def title_of(self, obj: PeriodicTask) -> str:
        return f"{obj.name}: {schedule_in_words(obj)}"

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "crontab" and field is not None:
            label_choices_with(field, crontab_title)
        return field

    @admin.action(description=_("Run selected tasks"))
    def run_tasks(self, request: HttpRequest, queryset: QuerySet[PeriodicTask]) -> None:
        self.celery_app.loader.import_default_modules()
        missing = sorted({t.task for t in queryset if t.task not in self.celery_app.tasks})
        if missing:
            self.message_user(
                request,
                _("Not registered with Celery: %(names)s. Nothing was run.")
                % {"names": ", ".join(missing)},
                messages.ERROR,
            )
            return
        for task in queryset:
            self.celery_app.tasks[task.task].apply_async(
                args=loads(task.args),
                kwargs=loads(task.kwargs),
                headers={"periodic_task_name": task.name},
                **({"queue": task.queue} if task.queue else {}),
            )
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d task was sent to the worker.",
                "%(count)d tasks were sent to the worker.",
                count,
            )
            % {"count": count},
        )


class ScheduleAdmin(admin.ModelAdmin):
    """A schedule lists the periodic tasks using it as links (django-celery-beat's inline
    prints each task's str(), a crontab in cron's English abbreviations)."""

    @admin.display(description=_("Periodic Tasks Using This Schedule"))
    def periodic_tasks(
        self, schedule: CrontabSchedule | IntervalSchedule | SolarSchedule | ClockedSchedule
    ) -> str:
        url = "admin:django_celery_beat_periodictask_change"
        tasks = schedule.periodictask_set.order_by("name") if schedule.pk else []
        links = [(reverse(url, args=[task.pk]), task.name) for task in tasks]
        return format_html_join(", ", "<a href='{}'>{}</a>", links) or "–"


@admin.register(CrontabSchedule)
class CrontabScheduleAdmin(ReadableTitleAdmin, ScheduleAdmin):
    list_display = ("expression", "timezone", "in_words")
    fields = ("in_words", *CRON_FIELDS, "timezone", "periodic_tasks")
    readonly_fields = ("in_words", "periodic_tasks")

    @admin.display(description=_("cron expression"))
    def expression(self, crontab: CrontabSchedule) -> str:
        return crontab_expression(crontab)

    @admin.display(description=_("schedule in words"))
    def in_words(self, crontab: CrontabSchedule) -> str:
        return crontab_in_words(crontab) if crontab.pk else "–"

    def title_of(self, obj: CrontabSchedule) -> str:
        return crontab_title(obj)

    def titles(self, objs: Any) -> dict[str, str]:  # its periodic tasks go with it
        tasks = PeriodicTask.objects.filter(crontab__in=objs).select_related("crontab")
        return {
            **super().titles(objs),
            **{str(t): f"{t.name}: {schedule_in_words(t)}" for t in tasks},
        }


@admin.register(IntervalSchedule)
class IntervalScheduleAdmin(ScheduleAdmin):
    fields = ("every", "period", "periodic_tasks")
    readonly_fields = ("periodic_tasks",)


@admin.register(SolarSchedule)
class SolarScheduleAdmin(ScheduleAdmin):
    fields = ("event", "latitude", "longitude", "periodic_tasks")
    readonly_fields = ("periodic_tasks",)


@admin.register(ClockedSchedule)
class ClockedScheduleAdmin(ScheduleAdmin):
    list_display = ("clocked_time",)
    fields = ("clocked_time", "periodic_tasks")
    readonly_fields = ("periodic_tasks",)
