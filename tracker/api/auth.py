"""Signing in to the API (a new token each time), signing out, and the office's reading of
the sign-in log. Locked-out sign-ins answer 429 with Retry-After (tracker/services/lockout)."""

from typing import Any

import django_filters
from django import forms
from django.contrib.auth import authenticate, user_logged_in, user_logged_out
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.drainage import set_override
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from knox.models import AuthToken
from rest_framework import exceptions, generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.parsers import BoundedJSONParser
from config.api.schema import ErrorDetailSerializer
from config.common.dates import EARLIEST_DATE, LATEST_DATE
from config.common.users import signed_in_user
from tracker.api.authentication import TokenAuthentication
from tracker.models import RevocationReason, SignInEvent, SignInKind, User
from tracker.permissions import IsOffice
from tracker.selectors.security import sign_in_events_list
from tracker.services.lockout import is_locked_out, lockout_message, lockout_seconds_left
from tracker.services.tokens import token_issue, token_revoke, tokens_revoke_all


class SignInLocked(exceptions.APIException):
    """DRF's handler turns `wait` into Retry-After; the body is the project's `detail`."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"

    def __init__(self, wait: int) -> None:
        self.wait = wait
        super().__init__(lockout_message(wait))


class TokenInput(serializers.Serializer[Any]):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)


class TokenOutput(serializers.Serializer[Any]):
    token = serializers.CharField()
    expiry = serializers.DateTimeField(help_text="When the token stops working.")


TOO_MANY = OpenApiResponse(
    ErrorDetailSerializer,
    description=(
        "Too many failed sign-ins for the account or from the address: the `Retry-After` "
        "header gives the seconds to wait; the right password is refused until then."
    ),
)


RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    OpenApiTypes.INT,
    OpenApiParameter.HEADER,
    response=[429],
    required=True,
    description="Seconds until the account and the address may sign in again.",
)


@extend_schema(tags=["auth"])
class TokenView(APIView):
    """Sign in: a new token at each call, valid for the lifetime the office sets."""

    authentication_classes: list[type] = []  # a stale token sent along must not refuse it
    permission_classes: list[type] = []
    parser_classes = [BoundedJSONParser, FormParser, MultiPartParser]

    @extend_schema(
        request=TokenInput, responses={200: TokenOutput, 429: TOO_MANY}, parameters=[RETRY_AFTER]
    )
    def post(self, request: Request) -> Response:
        serializer = TokenInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        credentials = serializer.validated_data
        http_request = request._request  # axes marks the request the middleware sees
        user = authenticate(http_request, **credentials)
        if user is None:
            if is_locked_out(http_request):
                raise SignInLocked(lockout_seconds_left(http_request, credentials))
            raise serializers.ValidationError(
                {"non_field_errors": [_("Unable to log in with provided credentials.")]},
                code="authorization",
            )
        instance, token = token_issue(user=user)
        user_logged_in.send(sender=User, request=http_request, user=user)
        return Response(TokenOutput({"token": token, "expiry": instance.expiry}).data)


@extend_schema(tags=["auth"])
class LogoutView(APIView):
    """Sign out: the token this request carries stops working."""

    authentication_classes = [TokenAuthentication]
    integration_allowed = True

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        token = request.auth
        if not isinstance(token, AuthToken):  # pragma: no cover - the only class above
            raise exceptions.NotAuthenticated()
        token_revoke(token=token)
        user_logged_out.send(sender=User, request=request._request, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["auth"])
class LogoutAllView(APIView):
    """Sign out everywhere: every token of the caller stops working."""

    authentication_classes = [TokenAuthentication]
    integration_allowed = True

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        tokens_revoke_all(
            user=signed_in_user(request),
            reason=RevocationReason.SIGNED_OUT_EVERYWHERE,
            request=request._request,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


def _local_date(**kwargs: Any) -> django_filters.DateFilter:
    return django_filters.DateFilter(
        field_name="at",
        input_formats=["%Y-%m-%d"],
        validators=[MinValueValidator(EARLIEST_DATE), MaxValueValidator(LATEST_DATE)],
        **kwargs,
    )


class IdFilter(django_filters.NumberFilter):
    """An object's id: a whole number a bigint holds (a NumberFilter alone takes "1.5")."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, max_value=2**63 - 1, **kwargs)
        set_override(self, "field", {"type": "integer", "minimum": 1, "maximum": 2**63 - 1})


class SignInEventFilter(django_filters.FilterSet):
    user = IdFilter(field_name="user_id", help_text="The user's id.")
    kind = django_filters.ChoiceFilter(choices=SignInKind.choices)
    # `at__date` is the local date (USE_TZ with the Asia/Ho_Chi_Minh time zone).
    locals()["from"] = _local_date(lookup_expr="date__gte", help_text="First day, included.")
    to = _local_date(lookup_expr="date__lte", help_text="Last day, included.")

    class Meta:
        model = SignInEvent
        fields: list[str] = []


class SignInEventOutput(serializers.ModelSerializer[SignInEvent]):
    class Meta:
        model = SignInEvent
        fields = [
            *("id", "at", "kind", "channel", "username", "user", "address", "user_agent"),
            "reason",
        ]


@extend_schema(tags=["auth"])
class SignInEventList(generics.ListAPIView[SignInEvent]):
    """The sign-in log, newest first (office only): sign-ins, failures, refusals for a
    lockout, sign-outs and revocations of API tokens."""

    permission_classes = [IsOffice]
    serializer_class = SignInEventOutput
    filterset_class = SignInEventFilter
    queryset = SignInEvent.objects.none()

    def get_queryset(self) -> QuerySet[SignInEvent]:
        return sign_in_events_list()
