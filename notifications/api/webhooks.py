"""The office's webhooks: its endpoints (registered, changed, deleted; the secret made
here when not given and shown to the office) and the deliveries to them, the failed ones
sent again by the same rule as notifications. Office only. The URL rule (SSRF) and the
events' rule are notifications.services.webhooks' `webhook_endpoint_errors`, the admin's."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.errors import ConflictError
from config.api.inputs import StrictInput
from config.common.permissions import IsOffice
from notifications.models import (
    SECRET_PATTERN,
    NotificationStatus,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from notifications.selectors import webhook_delivery_list, webhook_endpoint_list
from notifications.services.delivery import webhook_delivery_retry
from notifications.services.webhooks import (
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoint_errors,
    webhook_endpoint_update,
)


class WebhookEndpointInput(StrictInput[Any]):
    name = serializers.CharField(max_length=200)
    url = serializers.URLField(
        max_length=500,
        help_text="https:// (http:// in development only); a public address unless "
        "allow_private_network.",
    )
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEvent.choices),
        min_length=1,
        max_length=len(WebhookEvent.values),
    )
    secret = serializers.RegexField(
        SECRET_PATTERN,
        max_length=100,
        required=False,
        help_text="Standard Webhooks' whsec_<base64>; left out when creating: one is made.",
    )
    is_active = serializers.BooleanField(required=False)
    allow_private_network = serializers.BooleanField(
        required=False,
        help_text="Allow loopback, link-local and private addresses (a receiver inside the "
        "office's network). Off by default: the protection against SSRF.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        endpoint = self.instance
        data = dict(attrs)
        if endpoint is not None and ("url" in data or "allow_private_network" in data):
            data.setdefault("url", endpoint.url)
            data.setdefault("allow_private_network", endpoint.allow_private_network)
        errors = webhook_endpoint_errors(data)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class WebhookEndpointOutput(serializers.ModelSerializer[WebhookEndpoint]):
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEvent.choices), read_only=True
    )

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "name",
            "url",
            "event_types",
            "secret",
            "is_active",
            "allow_private_network",
            "created_at",
        ]
        read_only_fields = fields


class WebhookDeliveryOutput(serializers.ModelSerializer[WebhookDelivery]):
    endpoint_name = serializers.CharField(source="endpoint.name", read_only=True)
    answer_status = serializers.CharField(
        source="provider_message_id",
        read_only=True,
        help_text="The receiver's HTTP status of the attempt that succeeded (empty before).",
    )

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "endpoint",
            "endpoint_name",
            "event",
            "key",
            "message_id",
            "status",
            "attempts",
            "last_error",
            "send_after",
            "sent_at",
            "answer_status",
            "created_at",
        ]
        read_only_fields = fields


@extend_schema(tags=["webhooks"])
class WebhookEndpointViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[WebhookEndpoint]
):
    """The office's webhook receivers: each gets the events it subscribes to as signed
    Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature), verified with the
    endpoint's secret. PATCH changes the fields sent; a secret left out stays."""

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    permission_classes = [IsOffice]
    queryset = WebhookEndpoint.objects.none()
    serializer_class = WebhookEndpointOutput

    def get_queryset(self) -> QuerySet[WebhookEndpoint]:
        return webhook_endpoint_list()

    def _validated(self, instance: WebhookEndpoint | None = None) -> dict[str, Any]:
        serializer = WebhookEndpointInput(
            instance, data=self.request.data, partial=instance is not None
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    @extend_schema(request=WebhookEndpointInput, responses={201: WebhookEndpointOutput})
    def create(self, request: Request) -> Response:
        endpoint = webhook_endpoint_create(data=self._validated())
        return Response(WebhookEndpointOutput(endpoint).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=WebhookEndpointInput, responses=WebhookEndpointOutput)
    def partial_update(self, request: Request, pk: str) -> Response:
        endpoint = self.get_object()
        endpoint = webhook_endpoint_update(endpoint=endpoint, data=self._validated(endpoint))
        return Response(WebhookEndpointOutput(endpoint).data)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, pk: str) -> Response:
        webhook_endpoint_delete(endpoint=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookDeliveryFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=NotificationStatus.choices)
    event = django_filters.ChoiceFilter(choices=WebhookEvent.choices)
    endpoint = django_filters.NumberFilter(field_name="endpoint_id", min_value=1)

    class Meta:
        model = WebhookDelivery
        fields: list[str] = []


@extend_schema(tags=["webhooks"])
class WebhookDeliveryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[WebhookDelivery]):
    """The deliveries to the office's endpoints, newest first (`status=failed`: the failure
    list). A failed one may be sent again, from its first attempt, with the same
    webhook-id, so a receiver that got it meanwhile drops it."""

    permission_classes = [IsOffice]
    queryset = WebhookDelivery.objects.none()
    serializer_class = WebhookDeliveryOutput
    filterset_class = WebhookDeliveryFilter
    extra_error_codes = {"retry": ["409"]}

    def get_queryset(self) -> QuerySet[WebhookDelivery]:
        return webhook_delivery_list()

    @extend_schema(request=None, responses=WebhookDeliveryOutput)
    @action(detail=True, methods=["post"], filterset_class=None)
    def retry(self, request: Request, pk: str) -> Response:
        delivery = self.get_object()
        if not webhook_delivery_retry(delivery):
            raise ConflictError(_("Only a failed delivery can be sent again."))
        return Response(WebhookDeliveryOutput(webhook_delivery_list().get(pk=delivery.pk)).data)
