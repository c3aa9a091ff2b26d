"""The office's named rates, written through the API or the admin; both validate with
`named_rate_errors`. A rate a scoring rule uses as its metric keeps its code and is not
deleted, so that no rule is left pointing at nothing."""

import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from config.common.services import written_or_refused
from tracker.models import INDICATOR_COUNTS, Metric, NamedRate, ScoringRule
from tracker.models.scoring import FIRST_RULE_YEAR, LAST_RULE_YEAR
from tracker.selectors.rates import named_rates_of_year, reserved_rate_codes

CODE_PATTERN = r"^[A-Za-z0-9_.-]+\Z"
RATE_FIELDS = ("code", "name", "year", "numerator", "denominator")
MAX_TERMS = len(INDICATOR_COUNTS)


def code_and_year_errors(code: Any, year: Any) -> dict[str, list[str]]:
    """A yearly rule's or rate's code (letters, digits, ".", "_", "-") and year (the range
    the models' constraints hold), each typed value checked on its own."""
    errors: dict[str, list[str]] = {}
    if isinstance(year, int) and not FIRST_RULE_YEAR <= year <= LAST_RULE_YEAR:
        errors["year"] = [
            _("Enter a year from %(first)d to %(last)d.")
            % {"first": FIRST_RULE_YEAR, "last": LAST_RULE_YEAR}
        ]
    if isinstance(code, str) and not re.match(CODE_PATTERN, code):
        errors["code"] = [_("Use only letters, digits, “.”, “_” and “-” in the code.")]
    return errors


def metric_errors(metric: Any, year: Any) -> list[str]:
    """A scoring rule's metric: a built-in rate or a named rate of the rule's year."""
    if not isinstance(metric, str) or metric in Metric.values:
        return []
    if isinstance(year, int) and any(r.code == metric for r in named_rates_of_year(year)):
        return []
    return [
        _("“%(metric)s” is neither a built-in rate nor a named rate of %(year)s.")
        % {"metric": metric, "year": year}
    ]


def _terms_errors(terms: Any) -> list[str]:
    if not isinstance(terms, list) or not terms:
        return [_("Enter a list of at least one count.")]
    if len(terms) > MAX_TERMS:
        return [_("Enter at most %(max)d counts.") % {"max": MAX_TERMS}]
    unknown = [term for term in terms if not isinstance(term, str) or term not in INDICATOR_COUNTS]
    if unknown:
        return [
            _("Unknown count “%(name)s”; the counts are: %(names)s.")
            % {"name": term, "names": ", ".join(INDICATOR_COUNTS)}
            for term in unknown
        ]
    return []


def _code_taken(code: str, year: int) -> dict[str, list[str]]:
    message = _("A named rate with the code %(code)s already exists for %(year)d.")
    return {"code": [message % {"code": code, "year": year}]}


def rules_using(rate: NamedRate) -> list[str]:
    return list(
        ScoringRule.objects.filter(year=rate.year, metric=rate.code)
        .order_by("code")
        .values_list("code", flat=True)
    )


def _in_use_error(rate: NamedRate, codes: list[str]) -> str:
    return _("The scoring rules %(rules)s of %(year)d use the rate %(code)s.") % {
        "rules": ", ".join(codes),
        "year": rate.year,
        "code": rate.code,
    }


def _code_errors(code: str, year: Any, rate: NamedRate | None) -> dict[str, list[str]]:
    """A well-formed code: not a built-in rate's, not taken in its year (ignoring case)."""
    if code.lower() in {reserved.lower() for reserved in reserved_rate_codes()}:
        return {"code": [_("%(code)s is the code of a built-in rate.") % {"code": code}]}
    if not isinstance(year, int):
        return {}
    others = NamedRate.objects.filter(year=year, code__iexact=code)
    if rate is not None:
        others = others.exclude(pk=rate.pk)
    return _code_taken(code, year) if others.exists() else {}


def named_rate_errors(
    *, data: Mapping[str, Any], rate: NamedRate | None = None
) -> dict[str, list[str]]:
    """The rules across fields, as `{field: [message]}`: the code's characters, not a
    built-in code, unique within its year ignoring case, kept while a scoring rule uses
    it; the year's range; numerator and denominator lists of known counts."""
    errors: dict[str, list[str]] = {}
    for name in ("numerator", "denominator"):
        if name in data and (term_errors := _terms_errors(data[name])):
            errors[name] = term_errors
    year, code = data.get("year"), data.get("code")
    errors.update(code_and_year_errors(code, year))
    if "code" not in errors and isinstance(code, str) and code:
        errors.update(_code_errors(code, year, rate))
    moved = rate is not None and (code, year) != (rate.code, rate.year)
    if moved and rate is not None and (used := rules_using(rate)):
        errors.setdefault("code", []).append(_in_use_error(rate, used))
    return errors


def _save(rate: NamedRate, data: Mapping[str, Any]) -> NamedRate:
    errors = named_rate_errors(data=data, rate=rate if rate.pk else None)
    for name in RATE_FIELDS:
        if name in data:
            setattr(rate, name, data[name])
    try:
        rate.full_clean(
            exclude=["numerator", "denominator"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    written_or_refused(
        rate.save, "named_rate_code_per_year", lambda: _code_taken(rate.code, rate.year)
    )
    return rate


@transaction.atomic
def named_rate_create(*, data: Mapping[str, Any]) -> NamedRate:
    return _save(NamedRate(), data)


@transaction.atomic
def named_rate_update(*, rate: NamedRate, data: Mapping[str, Any]) -> NamedRate:
    locked = NamedRate.objects.select_for_update().get(pk=rate.pk)
    return _save(locked, data)


@transaction.atomic
def named_rate_delete(*, rate: NamedRate) -> None:
    locked = NamedRate.objects.select_for_update().get(pk=rate.pk)
    if used := rules_using(locked):
        raise ValidationError({"code": [_in_use_error(locked, used)]})
    locked.delete()
