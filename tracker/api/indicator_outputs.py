"""What the indicators and the leadership score answer. The answers are plain dicts built in
one pass (up to a thousand departments per answer); the serializers below only document
them in the OpenAPI schema, and a test holds the two together."""

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from tracker.models import Department
from tracker.selectors.counts import Counts, json_rate
from tracker.selectors.indicators import IndicatorReport
from tracker.selectors.rates import RateDefinition
from tracker.selectors.scoring import ScoreReport


def number(value: Decimal | None) -> int | float | None:
    """A JSON number: whole points as an integer (6), others as they are (7.5, 0.9863)."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def department_brief(department: Department) -> dict[str, Any]:
    return {"id": department.pk, "code": department.code, "name": department.name}


def _named_rate(rate: RateDefinition, counts: Counts) -> float | None:
    terms = rate.terms(counts)
    return None if terms is None else json_rate(*terms)


def counts_data(counts: Counts, named: list[RateDefinition]) -> dict[str, Any]:
    data: dict[str, Any] = counts.as_dict()
    for name, (numerator, denominator) in counts.rate_terms().items():
        data[name] = json_rate(numerator, denominator)
    data["named_rates"] = {rate.code: _named_rate(rate, counts) for rate in named}
    return data


def rate_definition_data(rate: RateDefinition) -> dict[str, Any]:
    return {
        "code": rate.code,
        "name": rate.name,
        "numerator": list(rate.numerator),
        "denominator": list(rate.denominator),
        "built_in": rate.built_in,
    }


def _period_data(report: IndicatorReport) -> dict[str, Any]:
    return {
        "from": report.date_from.isoformat(),
        "to": report.date_to.isoformat(),
        "as_of": report.as_of.isoformat(),
        "frozen": report.frozen,
        "period": report.period.pk if report.period is not None else None,
    }


def indicator_data(report: IndicatorReport) -> dict[str, Any]:
    named = report.named_rates
    return {
        **_period_data(report),
        "departments": [
            {"department": department_brief(row.department), **counts_data(row.counts, named)}
            for row in report.rows
        ],
        "total": counts_data(report.total, named),
        "rate_definitions": [rate_definition_data(rate) for rate in named],
    }


def score_data(report: ScoreReport) -> dict[str, Any]:
    rule = report.rule
    return {
        "rule": {
            "code": rule.code,
            "name": rule.name,
            "metric": rule.metric,
            "max_points": number(rule.max_points),
            "year": rule.year,
        },
        **_period_data(report.indicators),
        "departments": [
            {
                "department": department_brief(row.department),
                "metric_value": None
                if row.score.metric_value is None
                else float(row.score.metric_value),
                "points": number(row.score.points),
                "applicable": row.score.applicable,
            }
            for row in report.rows
        ],
    }


# --- the schema ------------------------------------------------------------------------------


def _rate(help_text: str) -> serializers.FloatField:
    return serializers.FloatField(
        allow_null=True, min_value=0, max_value=1, help_text=help_text, read_only=True
    )


def _count(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=0, help_text=help_text, read_only=True)


class DepartmentBriefOutput(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class IndicatorCountsOutput(serializers.Serializer):
    assigned = _count("Tasks judged: assigned in [from, min(to, as_of)], not cancelled.")
    completed_on_time = _count("Completed on or before the deadline in force at as_of.")
    completed_early = _count("Of completed_on_time: completed before the deadline.")
    completed_on_deadline_day = _count(
        "Of completed_on_time: completed on the deadline day (on time, not early)."
    )
    completed_late = _count("Completed after the deadline in force at as_of.")
    completed_no_deadline = _count("Completed; the task has no deadline.")
    open_within_deadline = _count("Not completed at as_of; deadline on or after as_of.")
    open_overdue = _count("Not completed at as_of; deadline before as_of.")
    open_no_deadline = _count("Not completed; no deadline.")
    paused = _count("Not completed at as_of and paused now.")
    due = serializers.IntegerField(
        min_value=0,
        allow_null=True,
        read_only=True,
        help_text=(
            "Tasks whose deadline in force is on or before as_of, completed or not, paused "
            "ones aside; null in a period published before this count existed."
        ),
    )
    completion_rate = _rate("(on time + late) / (on time + late + overdue); 4 decimals.")
    on_time_rate = _rate("on time / (on time + late + overdue); 4 decimals.")
    assigned_on_time_rate = _rate(
        "on time / (on time + late + within deadline + overdue); 4 decimals."
    )
    named_rates = serializers.DictField(
        child=serializers.FloatField(allow_null=True, min_value=0),
        read_only=True,
        help_text=(
            "The named rates of the year of `to` by code (see rate_definitions); 4 decimals, "
            "null where the denominator is 0."
        ),
    )


class IndicatorRowOutput(IndicatorCountsOutput):
    department = DepartmentBriefOutput(read_only=True)


# The dates a report covers and how it was judged; not a closed period itself
# (tracker.api.periods.PeriodOutput). A comment: the reports would inherit a docstring as
# their description in the schema.
class ReportPeriodOutput(serializers.Serializer):
    locals()["from"] = serializers.DateField(read_only=True)
    to = serializers.DateField(read_only=True)
    as_of = serializers.DateField(read_only=True)
    frozen = serializers.BooleanField(
        read_only=True, help_text="The period was closed: these are its published figures."
    )
    period = serializers.IntegerField(
        allow_null=True, read_only=True, help_text="The closed period's id, when frozen."
    )


class RateDefinitionOutput(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    numerator = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Counts summed."
    )
    denominator = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Counts summed."
    )
    built_in = serializers.BooleanField(
        read_only=True, help_text="Shipped with the product (every year); else the office's."
    )


class IndicatorReportOutput(ReportPeriodOutput):
    departments = IndicatorRowOutput(many=True, read_only=True)
    total = IndicatorCountsOutput(
        read_only=True, help_text="The counts summed; the rates recomputed from the sums."
    )
    rate_definitions = RateDefinitionOutput(
        many=True, read_only=True, help_text="The named rates of the year of `to`."
    )


class ScoringRuleBriefOutput(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    metric = serializers.CharField(
        read_only=True, help_text="A built-in rate or the code of a named rate of the year."
    )
    max_points = serializers.FloatField(read_only=True)
    year = serializers.IntegerField(read_only=True)


class ScoreRowOutput(serializers.Serializer):
    department = DepartmentBriefOutput(read_only=True)
    metric_value = _rate("The rule's rate, 4 decimals; null without a judged task.")
    points = serializers.FloatField(
        allow_null=True, read_only=True, help_text="Null when not applicable."
    )
    applicable = serializers.BooleanField(read_only=True)


class ScoreReportOutput(ReportPeriodOutput):
    rule = ScoringRuleBriefOutput(read_only=True)
    departments = ScoreRowOutput(many=True, read_only=True)
