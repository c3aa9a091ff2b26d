"""The working-day calendar: the office's adjustments and the add-working-days calculator."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.fields import OfficialDateField
from config.api.filters import OfficialDateFilter, YearFilter
from config.api.inputs import StrictInput
from tracker.api.views import ListCreateRetrieveUpdate
from tracker.models import CalendarAdjustment, CalendarAdjustmentKind
from tracker.permissions import ReadAllWriteOffice
from tracker.selectors.calendar import MAX_WORKING_DAYS, add_working_days
from tracker.services.calendar import (
    calendar_adjustment_create,
    calendar_adjustment_delete,
    calendar_adjustment_errors,
)

# --- input and output ----------------------------------------------------------------------


class CalendarAdjustmentInput(StrictInput):
    date = OfficialDateField()
    kind = serializers.ChoiceField(choices=CalendarAdjustmentKind.choices)
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors = calendar_adjustment_errors(day=attrs["date"], kind=attrs["kind"])
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class CalendarAdjustmentOutput(serializers.ModelSerializer):
    class Meta:
        model = CalendarAdjustment
        fields = ["id", "date", "kind", "note"]
        read_only_fields = fields  # an answer: every field is always there


class AddWorkingDaysQuery(StrictInput):
    start = OfficialDateField()
    days = serializers.IntegerField(min_value=-MAX_WORKING_DAYS, max_value=MAX_WORKING_DAYS)


class AddWorkingDaysOutput(serializers.Serializer):
    start = serializers.DateField()
    days = serializers.IntegerField()
    date = serializers.DateField(help_text=_("The date `days` working days after `start`."))


# --- filters -------------------------------------------------------------------------------


class CalendarAdjustmentFilter(django_filters.FilterSet):
    """`year`, and `from` / `to` (inclusive, `YYYY-MM-DD`); `from` after `to` is a 400."""

    year = YearFilter(field_name="date", lookup_expr="year")
    # `from` is a Python keyword: declared through the class namespace.
    locals()["from"] = OfficialDateFilter(field_name="date", lookup_expr="gte")
    to = OfficialDateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = CalendarAdjustment
        fields: list[str] = []

    def is_valid(self) -> bool:
        if not super().is_valid():
            return False
        start, end = self.form.cleaned_data.get("from"), self.form.cleaned_data.get("to")
        if start and end and start > end:
            self.form.add_error("to", _("The end of the range is before its start."))
            return False
        return True


# --- views ---------------------------------------------------------------------------------


@extend_schema(tags=["calendar"])
class CalendarAdjustmentViewSet(ListCreateRetrieveUpdate):
    """The office's changes to the statutory calendar (official day-swap notices): everyone
    signed in reads them, the office adds and deletes them; they take effect at once."""

    http_method_names = ["get", "post", "delete", "head", "options"]
    permission_classes = [ReadAllWriteOffice]
    filterset_class = CalendarAdjustmentFilter
    queryset = CalendarAdjustment.objects.none()
    input_class = CalendarAdjustmentInput
    output_class = CalendarAdjustmentOutput

    def get_queryset(self) -> QuerySet[CalendarAdjustment]:
        return CalendarAdjustment.objects.order_by("date")

    @extend_schema(request=CalendarAdjustmentInput, responses={201: CalendarAdjustmentOutput})
    def create(self, request: Request) -> Response:
        adjustment = calendar_adjustment_create(**self._validated())
        return self._output(adjustment, status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, pk: str) -> Response:
        calendar_adjustment_delete(adjustment=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["calendar"])
class AddWorkingDaysView(APIView):
    """The date `days` working days after `start` (before it when `days` is negative;
    `start` itself never counts), with the office's adjustments as they are now."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[AddWorkingDaysQuery], responses=AddWorkingDaysOutput)
    def get(self, request: Request) -> Response:
        query = AddWorkingDaysQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, days = query.validated_data["start"], query.validated_data["days"]
        try:
            result = add_working_days(start, days)
        except ValueError as exc:  # adjustments marking decades as days off
            message = _("There are not that many working days within reach of this date.")
            raise serializers.ValidationError({"days": [message]}) from exc
        return Response(AddWorkingDaysOutput({"start": start, "days": days, "date": result}).data)
