"""Scoring rules: the office writes them, the indicators' audience reads them. Validation is
tracker.services.scoring's, shared with the admin."""

from decimal import Decimal
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.filters import YearFilter
from config.api.inputs import StrictInput
from tracker.api.views import ListCreateRetrieveUpdate
from tracker.models import ScoringRule, WhenNoTasks
from tracker.models.scoring import FIRST_RULE_YEAR, LAST_RULE_YEAR
from tracker.permissions import IndicatorReadersWriteOffice
from tracker.services.rates import CODE_PATTERN
from tracker.services.scoring import (
    bands_errors,
    points_json,
    scoring_rule_create,
    scoring_rule_errors,
    scoring_rule_update,
)

# --- input and output ----------------------------------------------------------------------


class BandSchema(serializers.Serializer):
    """A band as documented; its validation is `bands_errors`."""

    min_rate = serializers.FloatField(min_value=0, max_value=1)
    points = serializers.FloatField(min_value=0)
    strict = serializers.BooleanField(
        default=False, help_text=_("Rate > min_rate instead of ≥ min_rate.")
    )


@extend_schema_field(BandSchema(many=True))
class BandsField(serializers.JSONField):
    """A list of bands, validated as a whole (positions named in the messages)."""

    def to_internal_value(self, data: Any) -> list[dict[str, Any]]:
        data = super().to_internal_value(data)
        errors = bands_errors(data, self._max_points())
        if errors:
            raise serializers.ValidationError(errors)
        return data

    def _max_points(self) -> Decimal | None:
        """The rule's maximum when it is valid, so that a bad `max_points` and bands above
        a good one are named in the same answer."""
        rule = self.parent
        if not isinstance(rule, serializers.Serializer):  # bands belong to a rule's input
            return None
        raw = getattr(rule, "initial_data", {}).get("max_points")
        try:
            return rule.fields["max_points"].run_validation(raw)
        except serializers.ValidationError:
            return None


@extend_schema_field({"type": "number", "minimum": 0})
class PointsField(serializers.Field):
    """Points as a JSON number: an integer when whole (10, 7.5)."""

    def to_representation(self, value: Decimal) -> int | float:
        return points_json(value)


class ScoringRuleInput(StrictInput):
    code = serializers.RegexField(CODE_PATTERN, max_length=32)
    name = serializers.CharField(max_length=255)
    year = serializers.IntegerField(min_value=FIRST_RULE_YEAR, max_value=LAST_RULE_YEAR)
    metric = serializers.CharField(
        max_length=32,
        help_text=(
            "The rate turned into points: completion_rate, on_time_rate, "
            "assigned_on_time_rate, or the code of a named rate of the rule's year "
            "(GET /api/v1/named-rates/?year=)."
        ),
    )
    max_points = serializers.DecimalField(
        max_digits=6, decimal_places=2, min_value=0, coerce_to_string=False
    )
    bands = BandsField()
    when_no_tasks = serializers.ChoiceField(choices=WhenNoTasks.choices)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors = scoring_rule_errors(data=attrs, rule=self.instance)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class BandOutput(serializers.Serializer):
    """A stored band, for the schema: bands are stored as their JSON answer."""

    min_rate = serializers.FloatField()
    points = serializers.FloatField()
    strict = serializers.BooleanField()


class ScoringRuleOutput(serializers.ModelSerializer):
    max_points = PointsField()
    bands = serializers.SerializerMethodField()

    class Meta:
        model = ScoringRule
        fields = ["id", "code", "name", "year", "metric", "max_points", "bands", "when_no_tasks"]
        read_only_fields = fields

    @extend_schema_field(BandOutput(many=True))
    def get_bands(self, rule: ScoringRule) -> list[dict[str, Any]]:
        return rule.bands


# --- filters -------------------------------------------------------------------------------


class ScoringRuleFilter(django_filters.FilterSet):
    year = YearFilter(min_value=FIRST_RULE_YEAR, max_value=LAST_RULE_YEAR)
    code = django_filters.CharFilter(
        lookup_expr="iexact", max_length=32, help_text=_("The rule's code, ignoring case.")
    )

    class Meta:
        model = ScoringRule
        fields: list[str] = []


# --- views ---------------------------------------------------------------------------------


@extend_schema(tags=["scoring"])
class ScoringRuleViewSet(ListCreateRetrieveUpdate):
    """How a rate becomes points, one version per year. The office writes (PUT replaces
    every field); the indicators' audience reads."""

    http_method_names = ["get", "post", "put", "head", "options"]
    permission_classes = [IndicatorReadersWriteOffice]
    filterset_class = ScoringRuleFilter
    queryset = ScoringRule.objects.none()
    input_class = ScoringRuleInput
    output_class = ScoringRuleOutput

    def get_queryset(self) -> QuerySet[ScoringRule]:
        return ScoringRule.objects.order_by("-year", "code", "pk")

    @extend_schema(request=ScoringRuleInput, responses={201: ScoringRuleOutput})
    def create(self, request: Request) -> Response:
        rule = scoring_rule_create(data=self._validated())
        return self._output(rule, status.HTTP_201_CREATED)

    @extend_schema(request=ScoringRuleInput, responses=ScoringRuleOutput)
    def update(self, request: Request, pk: str) -> Response:
        rule = self.get_object()
        return self._output(scoring_rule_update(rule=rule, data=self._validated(rule)))
