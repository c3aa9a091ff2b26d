"""Admin of the rules the follow-up runs on, kept as data: the working calendar's
adjustments, the reminder and escalation policies, the scoring rules and the closed periods.
Scoring rules are written through the scoring services (the API's validation); periods are
read-only here: closing is the API's or the `close_period` command's, reopening is an
action asking for a reason. Also the helpers other admins share: a read-only admin, and
readable titles where a model's str() is made of codes."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME, ActionForm
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.utils.html import escape, format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from config.common.errors import TransitionNotAllowed
from tracker.models import (
    BUCKET_COUNTS,
    Audience,
    CalendarAdjustment,
    Channel,
    Period,
    Priority,
    PublishedIndicator,
    PublishedScore,
    ReminderPolicy,
    ReminderStep,
    ScoringRule,
)
from tracker.services.periods import period_reopen
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


class ScoringRuleAdminForm(forms.ModelForm):
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

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        rule = self.instance if self.instance.pk else None
        for field, messages_ in scoring_rule_errors(data=data, rule=rule).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, messages_)
        return data

    def _get_validation_exclusions(self) -> set[str]:
        # The model would call an empty list of bands blank; a taken code is named by
        # scoring_rule_errors on `code`, not by a second, general message.
        return {*super()._get_validation_exclusions(), "bands", "code"}


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


class Titled:
    """Stands for an object where the admin's pages print it (title, breadcrumbs, history,
    deletion): the models' str() is made of codes ("reminder → 5 (email, sent)")."""

    def __init__(self, obj: Model, title: str) -> None:
        self.pk, self._meta, self.title = obj.pk, obj._meta, title

    def __str__(self) -> str:
        return self.title


class ReadableTitleAdmin(admin.ModelAdmin):
    def title_of(self, obj: Any) -> str:
        raise NotImplementedError

    def titles(self, objs: Any) -> dict[str, str]:
        """The titles of the objects a deletion lists, by their str()."""
        return {str(obj): self.title_of(obj) for obj in objs}

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any
    ) -> HttpResponse:
        obj = kwargs.get("obj")
        if obj is not None:
            context["subtitle"] = self.title_of(obj)
            context["original"] = Titled(obj, context["subtitle"])
        return super().render_change_form(request, context, *args, **kwargs)

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        obj = self.get_object(request, object_id)
        if obj is not None:
            titled = Titled(obj, self.title_of(obj))
            title = _("Change history: %s") % titled
            extra_context = {"object": titled, "title": title, **(extra_context or {})}
        return super().history_view(request, object_id, extra_context)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        obj = self.get_object(request, object_id)
        if obj is not None:
            extra_context = {"object": Titled(obj, self.title_of(obj)), **(extra_context or {})}
        return super().delete_view(request, object_id, extra_context)

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> tuple[Any, ...]:
        deleted, *rest = super().get_deleted_objects(objs, request)
        titles = {escape(raw): escape(title) for raw, title in self.titles(objs).items()}

        def retitle(item: Any) -> Any:
            if isinstance(item, list):
                return [retitle(part) for part in item]
            for raw, title in titles.items():
                item = item.replace(f">{raw}</a>", f">{title}</a>")
            return item

        return (retitle(deleted), *rest)

    def action_checkbox(self, obj: Any) -> str:
        label = format_html(_("Select this object for an action - {}"), self.title_of(obj))
        checkbox = forms.CheckboxInput(
            {"class": "action-select", "aria-label": label}, lambda _v: False
        )
        return checkbox.render(ACTION_CHECKBOX_NAME, str(obj.pk))


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
            period_reopen(actor=request.user, period=period, reason=reason)
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


@admin.register(CalendarAdjustment)
class CalendarAdjustmentAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "note")
    list_filter = ("kind",)
    date_hierarchy = "date"


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
