from django.urls import path

from notifications.web import deliveries, inbox, preferences

urlpatterns = [
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/<int:pk>/read/", inbox.mark_read, name="inbox-read"),
    path("inbox/read-all/", inbox.mark_all_read, name="inbox-read-all"),
    path("inbox/preferences/", preferences.preferences, name="preferences"),
    path("deliveries/failed/", deliveries.failed_deliveries, name="failed-deliveries"),
    path("deliveries/failed/<int:pk>/retry/", deliveries.retry, name="failed-delivery-retry"),
    path(
        "deliveries/failed/webhooks/<int:pk>/retry/",
        deliveries.retry_webhook,
        name="failed-webhook-retry",
    ),
]
