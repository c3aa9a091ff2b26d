import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.filters import TrueFalseFilter, YearFilter
from config.common.users import signed_in_user
from directives.api.serializers import DirectiveOutput
from directives.api.validators import DirectiveFormInput, DirectiveInput, DirectiveUpdateInput
from directives.models import Directive, DirectiveKind
from directives.selectors import directive_completed_filter, directive_visible_to
from directives.services import directive_create, directive_update
from tracker.api.views import ListCreateRetrieveUpdate, TaskOverlayContext
from tracker.permissions import TaskReadersWriteOffice


class DirectiveFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=DirectiveKind.choices)
    year = YearFilter(field_name="issued_year")
    number = django_filters.CharFilter(lookup_expr="icontains", max_length=64)
    completed = TrueFalseFilter(
        method="filter_completed",
        help_text=_("Whether every task that is not cancelled is completed."),
    )

    class Meta:
        model = Directive
        fields: list[str] = []

    def filter_completed(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(directive_completed_filter(value == "true"))


@extend_schema(tags=["directives"])
class DirectiveViewSet(TaskOverlayContext, ListCreateRetrieveUpdate):
    """Directives with their tasks; POST may carry `tasks` and creates all or nothing.
    Departments see the directives holding a task of theirs, with only those tasks."""

    permission_classes = [TaskReadersWriteOffice]
    filterset_class = DirectiveFilter
    queryset = Directive.objects.none()
    input_class = DirectiveInput
    output_class = DirectiveOutput

    def get_queryset(self) -> QuerySet[Directive]:
        return directive_visible_to(signed_in_user(self.request))

    def _directive_output(
        self, directive: Directive, status_code: int = status.HTTP_200_OK
    ) -> Response:
        return self._output(self.get_queryset().get(pk=directive.pk), status_code)

    @extend_schema(
        request={
            "application/json": DirectiveInput,
            "application/x-www-form-urlencoded": DirectiveFormInput,
            "multipart/form-data": DirectiveFormInput,
        },
        responses={201: DirectiveOutput},
    )
    def create(self, request: Request) -> Response:
        directive = directive_create(actor=signed_in_user(request), **self._validated())
        return self._directive_output(directive, status.HTTP_201_CREATED)

    @extend_schema(request=DirectiveUpdateInput, responses=DirectiveOutput)
    def partial_update(self, request: Request, pk: str) -> Response:
        directive = self.get_object()
        serializer = DirectiveUpdateInput(directive, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        directive = directive_update(directive=directive, data=serializer.validated_data)
        return self._directive_output(directive)
