"""Admin of the rules the follow-up runs on, kept as data: the working calendar's
adjustments and (read-only: loaded from files) the official notices' days, the reminder
and escalation policies, the scoring rules and the closed periods.
Scoring rules are written through the scoring services (the API's validation); periods are
read-only here: closing is the API's or the `close_period` command's, reopening is an
action asking for a reason. Also the helpers other admins share: a read-only admin (the
readable titles are config.common.admin's)."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from config.common.admin import RuleCheckedForm
from config.common.dates import DATE_VALIDATORS
from config.common.errors import TransitionNotAllowed
from config.common.users import signed_in_user
from notifications.models import Channel, channels_in_order
from tracker.models import (
    BUCKET_COUNTS,
    Audience,
    CalendarAdjustment,
    OfficialCalendarDay,
    OfficialNotice,
    Period,
    Priority,
    PublishedIndicator,
    PublishedScore,
    ReminderPolicy,
    ReminderStep,
    ScoringRule,
)
from tracker.services.calendar import (
    calendar_adjustment_create,
    calendar_adjustment_delete,
    calendar_adjustment_errors,
)
from tracker.services.periods import period_reopen
from tracker.services.reminders import reminder_steps_check
from tracker.services.scoring import (
    RULE_FIELDS,
    bands_errors,
    scoring_rule_create,
    scoring_rule_errors,
    scoring_rule_update,
)

BANDS_HELP = _(
    'A JSON list, e.g. [{"min_rate": 0.9, "points": 8, "strict": false}]: a band matches '
    "when the rate is ≥ min_rate (> when strict); the highest matching band wins; none "
    "matching gives 0 points."
)


class ScoringRuleAdminForm(RuleCheckedForm):
    # The model would call an empty list of bands blank; a taken code is said on `code`.
    ruled_fields = ("bands", "code")

    bands = forms.JSONField(
        label=capfirst(_("bands")),
        required=False,
        help_text=BANDS_HELP,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
    )

    class Meta:
        model = ScoringRule
        fields = RULE_FIELDS

    def clean_bands(self) -> Any:
        bands = self.cleaned_data.get("bands")
        bands = [] if bands is None else bands  # an empty box: no band, every rate gives 0
        errors = bands_errors(bands)
        if errors:
            raise ValidationError(errors)
        return bands

    def rule_errors(self, data: dict[str, Any]) -> dict[str, list[str]]:
        return scoring_rule_errors(data=data, rule=self.instance if self.instance.pk else None)


@admin.register(ScoringRule)
class ScoringRuleAdmin(admin.ModelAdmin):
    form = ScoringRuleAdminForm
    list_display = ("code", "year", "name", "metric", "max_points", "when_no_tasks")
    list_filter = ("year", "metric")
    search_fields = ("code", "name")

    def save_model(
        self, request: HttpRequest, obj: ScoringRule, form: ScoringRuleAdminForm, change: bool
    ) -> None:
        data = {name: form.cleaned_data[name] for name in RULE_FIELDS}
        if change:
            rule = scoring_rule_update(rule=ScoringRule.objects.get(pk=obj.pk), data=data)
        else:
            rule = scoring_rule_create(data=data)
        form.instance = rule
        obj.pk = rule.pk

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # published scores refer to rules; a rule's next version is a new year


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record the admin shows and never writes (history, published periods)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PublishedIndicatorInline(ReadOnlyInline):
    model = PublishedIndicator
    fields = ("department", *BUCKET_COUNTS)
    readonly_fields = fields
    ordering = ("department__code",)


class PublishedScoreInline(ReadOnlyInline):
    model = PublishedScore
    fields = ("rule_code", "department", "metric_value", "points", "applicable")
    readonly_fields = fields
    ordering = ("rule_code", "department__code")


class PeriodActionForm(ActionForm):
    reason = forms.CharField(label=capfirst(_("reason")), required=False, max_length=2000)


@admin.action(description=_("Reopen the period (give the reason)"))
def reopen_periods(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    reason = request.POST.get("reason", "").strip()
    if not reason:
        modeladmin.message_user(request, _("Give a reason."), messages.ERROR)
        return
    done = 0
    for period in queryset:
        try:
            period_reopen(actor=signed_in_user(request), period=period, reason=reason)
            done += 1
        except (TransitionNotAllowed, ValidationError) as exc:
            modeladmin.message_user(request, f"{period}: {exc}", messages.WARNING)
    if done:
        modeladmin.message_user(request, _("%(count)d period(s) reopened.") % {"count": done})


@admin.register(Period)
class PeriodAdmin(ReadOnlyAdmin):
    """Read-only: what a period published never changes."""

    action_form = PeriodActionForm
    actions = (reopen_periods,)
    list_display = (
        "__str__",
        "as_of",
        "closed_at",
        "closed_by",
        "reopened_at",
        "reopened_by",
        "is_closed",
    )
    list_filter = ("reopened_at",)
    list_select_related = ("closed_by", "reopened_by")
    date_hierarchy = "closed_at"
    fields = (
        "from_date",
        "to_date",
        "as_of",
        "closed_at",
        "closed_by",
        "reopened_at",
        "reopened_by",
        "reopen_reason",
    )
    readonly_fields = fields
    inlines = (PublishedIndicatorInline, PublishedScoreInline)

    @admin.display(boolean=True, description=_("frozen"))
    def is_closed(self, period: Period) -> bool:
        return period.is_closed


class CalendarAdjustmentForm(RuleCheckedForm):
    ruled_fields = ("date",)  # a date already adjusted

    class Meta:
        model = CalendarAdjustment
        fields = ("date", "kind", "note")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "date" in self.fields:  # absent on the read-only view of an adjustment
            self.fields["date"].validators += DATE_VALIDATORS

    def rule_errors(self, data: dict[str, Any]) -> dict[str, list[str]]:
        if not (data.get("date") and data.get("kind")):
            return {}  # the field's own error is shown
        return calendar_adjustment_errors(day=data["date"], kind=data["kind"])


@admin.register(CalendarAdjustment)
class CalendarAdjustmentAdmin(admin.ModelAdmin):
    """Added and deleted through the calendar services, as by the API and the calendar
    page; never changed in place (the API's way too: delete it, add another)."""

    form = CalendarAdjustmentForm
    list_display = ("date", "kind", "note")
    list_filter = ("kind",)
    date_hierarchy = "date"

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: CalendarAdjustment, form: Any, change: bool
    ) -> None:
        data = form.cleaned_data
        saved = calendar_adjustment_create(date=data["date"], kind=data["kind"], note=data["note"])
        form.instance = saved
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: CalendarAdjustment) -> None:
        calendar_adjustment_delete(adjustment=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for adjustment in queryset:
            calendar_adjustment_delete(adjustment=adjustment)


class OfficialCalendarDayInline(ReadOnlyInline):
    model = OfficialCalendarDay
    fields = ("date", "kind", "label")
    readonly_fields = fields


@admin.register(OfficialNotice)
class OfficialNoticeAdmin(ReadOnlyAdmin):
    """The shipped official calendar: loaded from tracker/data/calendar/ by the migration or
    `manage.py load_official_calendar`, never edited here (the office's own changes are
    calendar adjustments, which win over these days)."""

    list_display = ("number", "issued_on", "issuer", "verified")
    list_filter = ("verified", "issuer")
    search_fields = ("number", "title")
    fields = ("number", "issued_on", "issuer", "title", "url", "verified", "source", "note")
    readonly_fields = fields
    inlines = (OfficialCalendarDayInline,)


@admin.register(OfficialCalendarDay)
class OfficialCalendarDayAdmin(ReadOnlyAdmin):
    list_display = ("date", "kind", "label", "notice")
    list_filter = ("kind",)
    list_select_related = ("notice",)
    date_hierarchy = "date"
    fields = ("date", "kind", "label", "notice")
    readonly_fields = fields


class ReminderStepForm(forms.ModelForm):
    """Audiences and channels are picked from their fixed lists, so nothing else can be
    stored in the step's JSON fields."""

    audiences = forms.MultipleChoiceField(
        label=capfirst(_("audiences")),
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    channels = forms.MultipleChoiceField(
        label=capfirst(_("channels")), choices=Channel.choices, widget=forms.CheckboxSelectMultiple
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
        return channels_in_order(self.cleaned_data["channels"])


class ReminderStepFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        steps = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if any(step.get("offset_working_days") is None for step in steps):
            return  # that step's own error is shown
        reminder_steps_check(
            (step["offset_working_days"], step.get("repeat_every_working_days")) for step in steps
        )


class ReminderStepInline(admin.TabularInline):
    model = ReminderStep
    form = ReminderStepForm
    formset = ReminderStepFormSet
    extra = 0


class ReminderPolicyForm(forms.ModelForm):
    priority = forms.ChoiceField(
        label=capfirst(_("for priority")),
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
