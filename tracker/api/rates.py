"""Named rates: the office defines them per year, the indicators' audience reads them
(API.md leaves them to the project; DOMAIN.md, "Compliance indicators"). Validation is
tracker.services.rates', shared with the admin. The built-in ones are listed in the
indicators' `rate_definitions`, not here: they are not the office's to change."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.filters import YearFilter
from config.api.inputs import StrictInput
from tracker.api.views import ListCreateRetrieveUpdate
from tracker.models import INDICATOR_COUNTS, NamedRate
from tracker.models.scoring import FIRST_RULE_YEAR, LAST_RULE_YEAR
from tracker.permissions import IndicatorReadersWriteOffice
from tracker.services.rates import (
    CODE_PATTERN,
    MAX_TERMS,
    named_rate_create,
    named_rate_delete,
    named_rate_errors,
    named_rate_update,
)


def _terms(help_text: str) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=INDICATOR_COUNTS),
        min_length=1,
        max_length=MAX_TERMS,
        help_text=help_text,
    )


class NamedRateInput(StrictInput):
    code = serializers.RegexField(CODE_PATTERN, max_length=32)
    name = serializers.CharField(max_length=255)
    year = serializers.IntegerField(min_value=FIRST_RULE_YEAR, max_value=LAST_RULE_YEAR)
    numerator = _terms("The counts summed above the line.")
    denominator = _terms("The counts summed below the line.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors = named_rate_errors(data=attrs, rate=self.instance)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class NamedRateOutput(serializers.ModelSerializer):
    numerator = serializers.ListField(child=serializers.CharField(), read_only=True)
    denominator = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = NamedRate
        fields = ["id", "code", "name", "year", "numerator", "denominator"]
        read_only_fields = fields


class NamedRateFilter(django_filters.FilterSet):
    year = YearFilter(min_value=FIRST_RULE_YEAR, max_value=LAST_RULE_YEAR)
    code = django_filters.CharFilter(
        lookup_expr="iexact", max_length=32, help_text=_("The rate's code, ignoring case.")
    )

    class Meta:
        model = NamedRate
        fields: list[str] = []


@extend_schema(tags=["scoring"])
class NamedRateViewSet(ListCreateRetrieveUpdate):
    """The office's own rates of a year: a sum of counts over a sum of counts, shown under
    their codes in the indicators, the exports and the dashboard, usable as a scoring
    rule's metric. The office writes (PUT replaces every field); the indicators' audience
    reads. A rate a scoring rule uses keeps its code and cannot be deleted."""

    http_method_names = ["get", "post", "put", "delete", "head", "options"]
    permission_classes = [IndicatorReadersWriteOffice]
    filterset_class = NamedRateFilter
    queryset = NamedRate.objects.none()
    input_class = NamedRateInput
    output_class = NamedRateOutput

    def get_queryset(self) -> QuerySet[NamedRate]:
        return NamedRate.objects.order_by("-year", "code", "pk")

    @extend_schema(request=NamedRateInput, responses={201: NamedRateOutput})
    def create(self, request: Request) -> Response:
        rate = named_rate_create(data=self._validated())
        return self._output(rate, status.HTTP_201_CREATED)

    @extend_schema(request=NamedRateInput, responses=NamedRateOutput)
    def update(self, request: Request, pk: str) -> Response:
        rate = self.get_object()
        return self._output(named_rate_update(rate=rate, data=self._validated(rate)))

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, pk: str) -> Response:
        named_rate_delete(rate=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
