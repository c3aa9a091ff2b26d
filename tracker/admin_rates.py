"""The admin of the office's named rates (a year's own rates beside the built-in ones),
written through tracker.services.rates, the API's validation."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from config.common.admin import RuleCheckedForm
from config.common.text import StrOrPromise
from tracker.exports.tables import INDICATOR_HEADERS
from tracker.models import INDICATOR_COUNTS, NamedRate
from tracker.services.rates import (
    RATE_FIELDS,
    named_rate_create,
    named_rate_delete,
    named_rate_errors,
    named_rate_update,
    rules_using,
)

COUNT_CHOICES = [(name, INDICATOR_HEADERS[name]) for name in INDICATOR_COUNTS]


def _terms_field(label: StrOrPromise, help_text: StrOrPromise) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=COUNT_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


class NamedRateAdminForm(RuleCheckedForm):
    ruled_fields = ("code",)

    numerator = _terms_field(capfirst(_("numerator")), _("The counts summed above the line."))
    denominator = _terms_field(capfirst(_("denominator")), _("The counts summed below the line."))

    class Meta:
        model = NamedRate
        fields = RATE_FIELDS

    def rule_errors(self, data: dict[str, Any]) -> dict[str, list[str]]:
        return named_rate_errors(data=data, rate=self.instance if self.instance.pk else None)


@admin.register(NamedRate)
class NamedRateAdmin(admin.ModelAdmin):
    form = NamedRateAdminForm
    list_display = ("code", "year", "name")
    list_filter = ("year",)
    search_fields = ("code", "name")

    def save_model(
        self, request: HttpRequest, obj: NamedRate, form: NamedRateAdminForm, change: bool
    ) -> None:
        data = {name: form.cleaned_data[name] for name in RATE_FIELDS}
        if change:
            rate = named_rate_update(rate=NamedRate.objects.get(pk=obj.pk), data=data)
        else:
            rate = named_rate_create(data=data)
        form.instance = rate
        obj.pk = rate.pk

    def has_delete_permission(self, request: HttpRequest, obj: NamedRate | None = None) -> bool:
        # A rate a scoring rule uses stays: the rule would point at nothing.
        in_use = obj is not None and bool(rules_using(obj))
        return super().has_delete_permission(request, obj) and not in_use

    def delete_model(self, request: HttpRequest, obj: NamedRate) -> None:
        try:
            named_rate_delete(rate=obj)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[NamedRate]) -> None:
        for rate in queryset:
            self.delete_model(request, rate)
