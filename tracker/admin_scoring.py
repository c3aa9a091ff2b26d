"""Admin of scoring rules and closed periods. Rules are written through the scoring
services (the API's validation); periods are read-only here: closing is the API's or the
`close_period` command's, reopening is an action asking for a reason."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tracker.errors import TransitionNotAllowed
from tracker.models import BUCKET_COUNTS, Period, PublishedIndicator, PublishedScore, ScoringRule
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
        label=_("bands"),
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
    reason = forms.CharField(label=_("reason"), required=False, max_length=2000)


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
