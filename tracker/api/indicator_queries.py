"""Query parameters of the indicators, the leadership score and the tasks' drill-down. The
rules of the judged period (DOMAIN.md, "Compliance indicators") live here once, for the
serializers below and for the task filter."""

from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from config.api.fields import OfficialDateField
from config.api.inputs import StrictInput
from tracker.models import Department, ScoringRule
from tracker.models.scoring import FIRST_RULE_YEAR, LAST_RULE_YEAR
from tracker.selectors.directory import department_by_ref
from tracker.selectors.indicators import closed_period
from tracker.selectors.scoring import scoring_rule_for


def as_of_errors(as_of: date | None, today: date) -> list[str]:
    if as_of is not None and as_of > today:
        return [_("The as-of date cannot be in the future.")]
    return []


def period_errors(
    date_from: date | None, date_to: date | None, as_of: date | None, today: date
) -> dict[str, list[str]]:
    """The rules that span the dates (each date parsed on its own before): the period does
    not end before it starts, and the as-of date (today when omitted) is not before it."""
    errors: dict[str, list[str]] = {}
    if date_from is None:
        return errors
    if date_to is not None and date_to < date_from:
        errors["to"] = [_("The end of the period is before its start.")]
    if as_of is not None and as_of < date_from:
        errors["as_of"] = [_("The as-of date cannot be before the start of the period.")]
    if as_of is None and date_from > today:
        errors["from"] = [_("The period starts after today: there is nothing to judge yet.")]
    return errors


def default_as_of(date_from: date, date_to: date, today: date) -> date:
    """The as-of date when none is given: a closed period's own, else today (what
    `indicator_report` does, for the drill-down to list what the count counted)."""
    period = closed_period(date_from, date_to, None)
    return period.as_of if period is not None else today


class PeriodQuery(StrictInput):
    """`from`, `to` and `as_of`; the view passes today in the context as `today`."""

    # `from` is a Python keyword: declared through the class namespace.
    locals()["from"] = OfficialDateField(help_text="First day of the period (assigned dates).")
    to = OfficialDateField(help_text="Last day of the period (assigned dates).")
    as_of = OfficialDateField(
        required=False,
        help_text=(
            "The date the tasks are judged at; default: the closed period's own as-of date "
            "when these dates were closed, else today. Not before `from`, not in the future."
        ),
    )
    locale = serializers.ChoiceField(
        choices=["vi"],
        required=False,
        help_text=(
            "With `format=csv`: `vi` writes numbers with a decimal comma, the columns "
            "separated by semicolons, as a spreadsheet under a Vietnamese locale reads them "
            "(default: decimal point, commas)."
        ),
    )

    def validate_as_of(self, value: date) -> date:
        errors = as_of_errors(value, self.context["today"])
        if errors:
            raise serializers.ValidationError(errors)
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors = period_errors(
            attrs["from"], attrs["to"], attrs.get("as_of"), self.context["today"]
        )
        errors.update(self.cross_errors(attrs))
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def cross_errors(self, attrs: dict[str, Any]) -> dict[str, list[str]]:
        return {}


class IndicatorQuery(PeriodQuery):
    department = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=64,
        help_text="Only this department (id or code).",
    )

    def validate_department(self, value: str) -> Department | None:
        if not value:
            return None
        department = department_by_ref(value)
        if department is None:
            raise serializers.ValidationError(
                _("Unknown department “%(value)s”.") % {"value": value}
            )
        return department


class LeadershipScoreQuery(IndicatorQuery):
    rule = serializers.CharField(max_length=32, help_text="The scoring rule's code.")
    year = serializers.IntegerField(
        required=False,
        min_value=FIRST_RULE_YEAR,
        max_value=LAST_RULE_YEAR,
        help_text="The rule's version; default: the year of `to`.",
    )

    def cross_errors(self, attrs: dict[str, Any]) -> dict[str, list[str]]:
        year = attrs.get("year", attrs["to"].year)
        rule: ScoringRule | None = scoring_rule_for(attrs["rule"], year)
        if rule is None:
            message = _("There is no scoring rule “%(code)s” for %(year)s.")
            return {"rule": [message % {"code": attrs["rule"], "year": year}]}
        attrs["scoring_rule"] = rule
        return {}
