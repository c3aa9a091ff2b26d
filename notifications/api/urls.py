from django.urls import path
from rest_framework.routers import SimpleRouter

from notifications.api.views import NotificationPreferencesView, NotificationViewSet
from notifications.api.webhooks import WebhookDeliveryViewSet, WebhookEndpointViewSet

router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="notification")
router.register("webhook-endpoints", WebhookEndpointViewSet, basename="webhook-endpoint")
router.register("webhook-deliveries", WebhookDeliveryViewSet, basename="webhook-delivery")

urlpatterns = [
    path(
        "notifications/preferences/",
        NotificationPreferencesView.as_view(),
        name="notification-preferences",
    ),
    *router.urls,
]
