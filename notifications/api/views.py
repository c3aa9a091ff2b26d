"""The in-app inbox of the signed-in user, their preferences, and the office's follow-up
of failed deliveries. Reads come from notifications.selectors, writes go through
notifications.services."""

from collections.abc import Sequence
from typing import Any, TypeVar

import django_filters
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.errors import ConflictError
from config.api.filters import TrueFalseFilter
from config.api.pagination import Pagination
from config.common.permissions import IsOffice
from config.common.users import AuthUser, signed_in_user
from notifications.api.serializers import (
    DeliveryOutput,
    InboxNotificationOutput,
    MarkedOutput,
    PreferencesOutput,
)
from notifications.api.validators import PreferencesInput
from notifications.models import Channel, Notification, NotificationKind
from notifications.selectors import (
    failed_list,
    inbox_list,
    inbox_unread_count,
    notification_list,
    preferences_of,
)
from notifications.services.delivery import notification_retry
from notifications.services.inbox import inbox_mark_all_read, inbox_mark_read
from notifications.services.preferences import preferences_update

M = TypeVar("M", bound=Model)
Row = TypeVar("Row")


class InboxPagination(Pagination):
    """The usual page, plus `unread_count`: the user's unread messages in all (whatever the
    filter)."""

    unread_count = 0

    def paginate_queryset(
        self,
        queryset: QuerySet[M, Row] | Sequence[Row],
        request: Request,
        view: APIView | None = None,
    ) -> list[Row] | None:
        self.unread_count = inbox_unread_count(signed_in_user(request))
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data: list[Any]) -> Response:
        response = super().get_paginated_response(data)
        response.data = {"unread_count": self.unread_count, **response.data}
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"] = {
            "unread_count": {
                "type": "integer",
                "minimum": 0,
                "example": 3,
                "description": "The user's unread inbox messages in all, whatever the filter.",
            },
            **paginated["properties"],
        }
        paginated["required"] = ["unread_count", *paginated.get("required", [])]
        return paginated


class InboxFilter(django_filters.FilterSet):
    unread = TrueFalseFilter(
        method="filter_unread", help_text=_("true: unread messages only; false: read ones only.")
    )

    class Meta:
        model = Notification
        fields: list[str] = []

    def filter_unread(
        self, queryset: QuerySet[Notification], name: str, value: str
    ) -> QuerySet[Notification]:
        return queryset.filter(read_at__isnull=value == "true")


class FailedFilter(django_filters.FilterSet):
    channel = django_filters.ChoiceFilter(choices=Channel.choices)
    kind = django_filters.ChoiceFilter(choices=NotificationKind.choices)

    class Meta:
        model = Notification
        fields: list[str] = []


@extend_schema(tags=["notifications"])
class NotificationViewSet(viewsets.GenericViewSet[Notification]):
    """Every signed-in user's in-app inbox (delivered messages, newest first); the office's
    list of failed deliveries, which it may send again."""

    permission_classes = [IsAuthenticated]
    queryset = Notification.objects.none()
    serializer_class = InboxNotificationOutput
    pagination_class = InboxPagination
    filterset_class = InboxFilter
    extra_error_codes = {"retry": ["409"]}

    def get_queryset(self) -> QuerySet[Notification]:
        if self.action == "retry":
            return notification_list()
        if self.action == "failed":
            return failed_list()
        return inbox_list(signed_in_user(self.request))

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(InboxNotificationOutput(page, many=True).data)

    @extend_schema(request=None, responses=InboxNotificationOutput)
    @action(detail=True, methods=["post"], filterset_class=None)
    def read(self, request: Request, pk: str) -> Response:
        notification = inbox_mark_read(user=signed_in_user(request), notification=self.get_object())
        return Response(InboxNotificationOutput(notification).data)

    @extend_schema(request=None, responses=MarkedOutput)
    @action(detail=False, methods=["post"], url_path="read-all", filterset_class=None)
    def read_all(self, request: Request) -> Response:
        return Response(
            MarkedOutput({"marked": inbox_mark_all_read(user=signed_in_user(request))}).data
        )

    @extend_schema(responses=DeliveryOutput(many=True))
    @action(
        detail=False,
        methods=["get"],
        permission_classes=[IsOffice],
        filterset_class=FailedFilter,
        pagination_class=Pagination,
        serializer_class=DeliveryOutput,
    )
    def failed(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(DeliveryOutput(page, many=True).data)

    @extend_schema(request=None, responses=DeliveryOutput)
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[IsOffice],
        filterset_class=None,
        serializer_class=DeliveryOutput,
    )
    def retry(self, request: Request, pk: str) -> Response:
        """A failed delivery goes back to pending, from its first attempt; any other
        answers 409."""
        notification = self.get_object()
        if not notification_retry(notification):
            raise ConflictError(_("Only a failed notification can be sent again."))
        return Response(DeliveryOutput(notification_list().get(pk=notification.pk)).data)


@extend_schema(tags=["notifications"])
class NotificationPreferencesView(APIView):
    """The signed-in user's language and the channels they want for each kind of message.
    Escalations ignore opt-outs: they go out on every channel of their step."""

    permission_classes = [IsAuthenticated]

    def _output(self, user: AuthUser) -> Response:
        return Response(
            PreferencesOutput({"language": user.language, "channels": preferences_of(user)}).data
        )

    @extend_schema(responses=PreferencesOutput)
    def get(self, request: Request) -> Response:
        return self._output(signed_in_user(request))

    @extend_schema(request=PreferencesInput, responses=PreferencesOutput)
    def put(self, request: Request) -> Response:
        """Replaces the preferences: a kind left out of `channels` goes back to the default
        (every channel); an empty list opts out of that kind (not of escalations)."""
        serializer = PreferencesInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = signed_in_user(request)
        preferences_update(user=user, language=data["language"], channels=data["channels"])
        user.refresh_from_db(fields=["language"])
        return self._output(user)
