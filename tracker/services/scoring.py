"""Scoring rules, written by the office through the API or the admin. Both validate with
`scoring_rule_errors`, so a rule the admin accepts is one the API would accept.

Bands are stored normalized: sorted from the highest threshold down (a strict band above a
plain one at the same threshold, the order in which `band_points` ranks them), `min_rate`
as a JSON float, `points` as a JSON integer when whole. A band with a lower threshold may
not give more points than one above it: such a rule is a typing slip, never a real grid."""

from collections.abc import Mapping
from decimal import Decimal
from itertools import pairwise
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from config.common.services import written_or_refused
from tracker.models import ScoringRule
from tracker.services.rates import code_and_year_errors, metric_errors

RULE_FIELDS = ("code", "name", "year", "metric", "max_points", "bands", "when_no_tasks")
BAND_KEYS = ("min_rate", "points", "strict")
MAX_BANDS = 20
MAX_POINTS = Decimal("9999.99")  # what the points columns (6 digits, 2 decimals) hold
CENTS = Decimal("0.01")

Band = tuple[int, Decimal, bool, Decimal]  # position (from 1), min_rate, strict, points


def _number(value: Any) -> Decimal | None:
    """A JSON number (bool is not one) as a Decimal; None for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    number = Decimal(str(value))  # str: the float as written, not its binary expansion
    return number if number.is_finite() else None


def _valid_number(value: Any) -> Decimal:
    """A number of a band `bands_errors` has accepted."""
    number = _number(value)
    if number is None:
        raise ValueError(f"not a number of a valid band: {value!r}")
    return number


def _band_errors(
    position: int, band: Any, max_points: Decimal | None
) -> tuple[list[str], Band | None]:
    label = {"position": position}
    if not isinstance(band, dict):
        message = _("Band %(position)d: enter an object with “min_rate”, “points” and “strict”.")
        return [message % label], None
    errors = [
        _(
            "Band %(position)d: unknown key “%(key)s”; a band has only “min_rate”, "
            "“points” and “strict”."
        )
        % {**label, "key": key}
        for key in band
        if key not in BAND_KEYS
    ]
    errors += [
        _("Band %(position)d: “%(key)s” is required.") % {**label, "key": key}
        for key in ("min_rate", "points")
        if key not in band
    ]
    min_rate = _number(band.get("min_rate"))
    if "min_rate" in band and (min_rate is None or not 0 <= min_rate <= 1):
        errors.append(_("Band %(position)d: “min_rate” must be a number from 0 to 1.") % label)
    points = _number(band.get("points"))
    if "points" in band:
        if points is None or not 0 <= points <= MAX_POINTS or points != points.quantize(CENTS):
            errors.append(
                _(
                    "Band %(position)d: “points” must be a number of at least 0, "
                    "with at most 2 decimals."
                )
                % label
            )
        elif max_points is not None and points > max_points:
            errors.append(
                _("Band %(position)d: “points” cannot exceed the rule's maximum points (%(max)s).")
                % {**label, "max": points_json(max_points)}
            )
    strict = band.get("strict", False)
    if not isinstance(strict, bool):
        errors.append(_("Band %(position)d: “strict” must be true or false.") % label)
    if errors or min_rate is None or points is None:
        return errors, None
    return [], (position, min_rate, strict, points)


def _ranked(bands: list[Band]) -> list[Band]:
    return sorted(bands, key=lambda band: (band[1], band[2]), reverse=True)


def bands_errors(bands: Any, max_points: Decimal | None = None) -> list[str]:
    """Every problem of `bands`, each message naming the band by its position (from 1) as
    given; empty when they are valid. `max_points` None leaves the bound on points out."""
    if not isinstance(bands, list):
        return [_("Enter a list of bands.")]
    if len(bands) > MAX_BANDS:
        return [_("Enter at most %(max)d bands.") % {"max": MAX_BANDS}]
    errors: list[str] = []
    parsed: list[Band] = []
    for position, band in enumerate(bands, start=1):
        band_errors, valid = _band_errors(position, band, max_points)
        errors += band_errors
        if valid is not None:
            parsed.append(valid)
    seen: dict[tuple[Decimal, bool], int] = {}
    for position, min_rate, strict, _points in parsed:
        first = seen.setdefault((min_rate, strict), position)
        if first != position:
            errors.append(
                _("Band %(position)d: band %(other)d already has this “min_rate” and “strict”.")
                % {"position": position, "other": first}
            )
    for higher, lower in pairwise(_ranked(parsed)):
        if lower[3] > higher[3]:
            errors.append(
                _(
                    "Band %(position)d: a lower threshold cannot give more points than "
                    "band %(other)d."
                )
                % {"position": lower[0], "other": higher[0]}
            )
    return errors


def points_json(value: Decimal) -> int | float:
    """Points as a JSON number: an integer when whole (6, not 6.0 or "6.00")."""
    return int(value) if value == value.to_integral_value() else float(value)


def bands_normalized(bands: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Valid bands (see `bands_errors`) in their stored form."""
    parsed = [
        (
            position,
            _valid_number(band["min_rate"]),
            band.get("strict", False),
            _valid_number(band["points"]),
        )
        for position, band in enumerate(bands, start=1)
    ]
    return [
        {"min_rate": float(min_rate), "points": points_json(points), "strict": strict}
        for _position, min_rate, strict, points in _ranked(parsed)
    ]


def code_taken_error(code: str, year: int) -> dict[str, list[str]]:
    return {
        "code": [
            _("A scoring rule with the code %(code)s already exists for %(year)d.")
            % {"code": code, "year": year}
        ]
    }


def scoring_rule_errors(
    *, data: Mapping[str, Any], rule: ScoringRule | None = None
) -> dict[str, list[str]]:
    """The rules across fields, as `{field: [message]}`: the bands (points bounded by
    `max_points` when it is a valid number), the year's range, the code's characters, and
    the code unique within its year (compared ignoring case, so that "par-tasks-10" is no
    second rule), the metric a rate of that year."""
    errors: dict[str, list[str]] = {}
    max_points = data.get("max_points")
    max_points = max_points if isinstance(max_points, Decimal) and max_points >= 0 else None
    if "bands" in data and (band_errors := bands_errors(data["bands"], max_points)):
        errors["bands"] = band_errors
    year, code = data.get("year"), data.get("code")
    errors.update(code_and_year_errors(code, year))
    if metric := metric_errors(data.get("metric"), year):
        errors["metric"] = metric
    if "code" not in errors and isinstance(year, int) and "year" not in errors and code:
        others = ScoringRule.objects.filter(year=year, code__iexact=code)
        if rule is not None:
            others = others.exclude(pk=rule.pk)
        if others.exists():
            errors.update(code_taken_error(code, year))
    return errors


def _save(rule: ScoringRule, data: Mapping[str, Any]) -> ScoringRule:
    for name in RULE_FIELDS:
        if name in data:
            setattr(rule, name, data[name])
    errors: dict[str, list[str]] = {}
    try:
        # Field by field (choices, lengths, digits); bands may be an empty list.
        rule.full_clean(exclude=["bands"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    current = {name: getattr(rule, name) for name in RULE_FIELDS if name not in errors}
    for name, messages in scoring_rule_errors(data=current, rule=rule).items():
        errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    rule.bands = bands_normalized(rule.bands)
    written_or_refused(
        rule.save, "scoring_rule_code_per_year", lambda: code_taken_error(rule.code, rule.year)
    )
    return rule


@transaction.atomic
def scoring_rule_create(*, data: Mapping[str, Any]) -> ScoringRule:
    return _save(ScoringRule(), data)


@transaction.atomic
def scoring_rule_update(*, rule: ScoringRule, data: Mapping[str, Any]) -> ScoringRule:
    """Sets the fields present in `data` (the API's PUT sends them all). Published scores
    keep their own copy of the rule, so editing a rule never changes a closed period."""
    return _save(rule, data)
