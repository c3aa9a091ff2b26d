from django.db.models import QuerySet

from tracker.models import Period


def period_list() -> QuerySet[Period]:
    """Closed periods, newest first (as the API lists them), with who closed and reopened
    them (one query)."""
    return Period.objects.select_related("closed_by", "reopened_by").order_by("-closed_at", "-pk")
