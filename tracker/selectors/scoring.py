"""The leadership score: one scoring rule applied to every department's indicators. A
closed period answers with the points it published under the rule's version of that
year; a rule version it did not publish is applied to its published indicators."""

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.db.models import QuerySet

from tracker.models import Department, PublishedScore, ScoringRule, WhenNoTasks
from tracker.selectors.counts import Counts, rounded
from tracker.selectors.indicators import IndicatorReport, indicator_report
from tracker.selectors.rates import RateDefinition, exact_rate, named_rates_of_year


@dataclass(frozen=True)
class Score:
    metric_value: Decimal | None  # as the JSON has it: 4 decimals
    points: Decimal | None  # None: not applicable
    applicable: bool
    exact: Fraction | None = None  # the rate itself, for showing it under any rounding


def band_points(rule: ScoringRule, value: Fraction) -> Decimal:
    """The points of the highest band the exact rate reaches; 0 when it reaches none."""
    best: tuple[Fraction, bool, Decimal] | None = None
    for band in rule.bands:
        threshold = Fraction(Decimal(str(band["min_rate"])))
        strict = bool(band.get("strict", False))
        if value > threshold or (value == threshold and not strict):
            candidate = (threshold, strict, Decimal(str(band["points"])))
            if best is None or candidate[:2] > best[:2]:
                best = candidate
    return best[2] if best else Decimal(0)


def score(rule: ScoringRule, counts: Counts, named: list[RateDefinition]) -> Score:
    """A department's points under a rule; `named`: the named rates of the rule's year.
    Without a judged task (the rate's denominator is 0) the rule decides: not applicable,
    or full points."""
    value = exact_rate(rule.metric, counts, named)
    if value is None:
        if rule.when_no_tasks == WhenNoTasks.FULL:
            return Score(None, rule.max_points, True)
        return Score(None, None, False)
    return Score(rounded(value), band_points(rule, value), True, value)


@dataclass
class ScoreRow:
    department: Department
    score: Score


@dataclass
class ScoreReport:
    rule: ScoringRule
    indicators: IndicatorReport
    rows: list[ScoreRow]
    published: bool  # the points are the stored ones, not recomputed


def scoring_rule_for(code: str, year: int) -> ScoringRule | None:
    return ScoringRule.objects.filter(code=code, year=year).first()


def leadership_score(
    *,
    rule: ScoringRule,
    date_from: date,
    date_to: date,
    as_of: date | None,
    today: date,
    departments: QuerySet[Department],
) -> ScoreReport:
    report = indicator_report(
        date_from=date_from, date_to=date_to, as_of=as_of, today=today, departments=departments
    )
    return rule_scores(rules=[rule], report=report, departments=departments)[0]


def _published(
    stored: Score | None, rule: ScoringRule, counts: Counts, named: list[RateDefinition]
) -> Score:
    """The published score with its exact rate (from the published counts), or the score
    computed now."""
    if stored is None:
        return score(rule, counts, named)
    return replace(stored, exact=exact_rate(rule.metric, counts, named))


def rule_scores(
    *, rules: list[ScoringRule], report: IndicatorReport, departments: QuerySet[Department]
) -> list[ScoreReport]:
    """Each rule applied to one indicator report: for each, what `leadership_score` answers
    for the same dates, without computing the indicators again (the dashboard shows every
    rule of the year). A closed period's points are read in one query for all the rules."""
    stored: dict[int, dict[int, Score]] = {}
    if report.period is not None and rules:
        published = PublishedScore.objects.filter(
            period=report.period, rule__in=rules, department__in=departments
        )
        for row in published:
            stored.setdefault(row.rule_id, {})[row.department_id] = Score(
                row.metric_value, row.points, row.applicable
            )
    reports = []
    named_by_year = {report.date_to.year: report.named_rates}
    for rule in rules:
        scores = stored.get(rule.pk, {})
        if rule.year not in named_by_year:
            named_by_year[rule.year] = named_rates_of_year(rule.year)
        named = named_by_year[rule.year]
        # A department created after the closing was not published: its zeros are scored.
        rows = [
            ScoreRow(
                row.department,
                _published(scores.get(row.department.pk), rule, row.counts, named),
            )
            for row in report.rows
        ]
        reports.append(ScoreReport(rule, report, rows, published=bool(scores)))
    return reports


def scoring_rules_of_year(year: int) -> list[ScoringRule]:
    """The rules of a year, by code: those a period closed in that year publishes."""
    return list(ScoringRule.objects.filter(year=year).order_by("code"))


@dataclass(frozen=True)
class ScoreTotal:
    points: Decimal
    max_points: Decimal  # of the applicable rules only
    applicable: bool  # at least one rule applies


def score_totals(reports: list[ScoreReport]) -> dict[int, ScoreTotal]:
    """Each department's points summed over the rules (reports of the same indicators). A
    rule that does not apply to a department is left out of its total and of its maximum
    (DOMAIN.md, "not_applicable: the maximum is removed from the total")."""
    totals: dict[int, ScoreTotal] = {}
    for report in reports:
        for row in report.rows:
            total = totals.get(row.department.pk, ScoreTotal(Decimal(0), Decimal(0), False))
            if row.score.applicable and row.score.points is not None:
                total = ScoreTotal(
                    total.points + row.score.points,
                    total.max_points + report.rule.max_points,
                    True,
                )
            totals[row.department.pk] = total
    return totals
