"""Closed reporting periods: the office closes (publishing the figures) and reopens them;
the indicators' audience reads them. The work is tracker.services.periods'."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.fields import OfficialDateField
from config.api.filters import OfficialDateFilter
from config.api.inputs import StrictInput
from config.common.users import signed_in_user
from tracker.api.validators import ReasonInput
from tracker.api.views import ListCreateRetrieveUpdate
from tracker.models import Period
from tracker.permissions import IndicatorReadersWriteOffice
from tracker.selectors.tasks import local_today
from tracker.services.periods import period_close, period_close_errors, period_reopen

# --- input and output ----------------------------------------------------------------------


class PeriodCloseInput(StrictInput):
    # `from` is a Python keyword: declared through the class namespace.
    locals()["from"] = OfficialDateField()
    to = OfficialDateField()
    as_of = OfficialDateField(required=False, help_text=_("Defaults to today."))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        today = local_today()
        attrs.setdefault("as_of", today)
        errors = period_close_errors(
            date_from=attrs["from"], date_to=attrs["to"], as_of=attrs["as_of"], today=today
        )
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class PeriodOutput(serializers.ModelSerializer):
    locals()["from"] = serializers.DateField(source="from_date")
    to = serializers.DateField(source="to_date")
    frozen = serializers.BooleanField(
        source="is_closed", help_text=_("True until the period is reopened.")
    )

    class Meta:
        model = Period
        fields = [
            "id",
            "from",
            "to",
            "as_of",
            "closed_at",
            "closed_by",
            "reopened_at",
            "reopened_by",
            "reopen_reason",
            "frozen",
        ]
        read_only_fields = fields  # an answer: every field is always there


# --- filters -------------------------------------------------------------------------------


class PeriodFilter(django_filters.FilterSet):
    """`from` and `to`: the periods of exactly these dates."""

    locals()["from"] = OfficialDateFilter(field_name="from_date")
    to = OfficialDateFilter(field_name="to_date")

    class Meta:
        model = Period
        fields: list[str] = []


# --- views ---------------------------------------------------------------------------------


@extend_schema(tags=["periods"])
class PeriodViewSet(ListCreateRetrieveUpdate):
    """Closed reporting periods, newest first. Closing stores every department's indicators
    and every points of the scoring rules of the year of `to` as published: the indicators
    and the leadership score of these dates answer with them (`frozen`) until the period
    is reopened. Reopening is kept on the period with who, when and why."""

    http_method_names = ["get", "post", "head", "options"]
    permission_classes = [IndicatorReadersWriteOffice]
    filterset_class = PeriodFilter
    queryset = Period.objects.none()
    input_class = PeriodCloseInput
    output_class = PeriodOutput
    extra_error_codes = {"reopen": ["409"]}

    def get_queryset(self) -> QuerySet[Period]:
        return Period.objects.order_by("-closed_at", "-pk")

    @extend_schema(request=PeriodCloseInput, responses={201: PeriodOutput})
    def create(self, request: Request) -> Response:
        data = self._validated()
        period = period_close(
            actor=signed_in_user(request),
            date_from=data["from"],
            date_to=data["to"],
            as_of=data["as_of"],
        )
        return self._output(period, status.HTTP_201_CREATED)

    @extend_schema(request=ReasonInput, responses=PeriodOutput)
    @action(detail=True, methods=["post"], filterset_class=None)
    def reopen(self, request: Request, pk: str) -> Response:
        period = self.get_object()
        serializer = ReasonInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        period = period_reopen(
            actor=signed_in_user(request), period=period, reason=serializer.validated_data["reason"]
        )
        return self._output(period)
