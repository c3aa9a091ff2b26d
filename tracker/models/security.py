"""Sign-in security: the office's token lifetime (one row, in the admin), the append-only
audit log of sign-ins, and the API tokens (django-rest-knox's, shown in the admin by a proxy
with translated names)."""

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from tracker.models.history import AppendOnlyError

SECURITY_SETTINGS_PK = 1  # the primary key of the single SecuritySettings row
DEFAULT_TOKEN_LIFETIME_DAYS = 30
MAX_TOKEN_LIFETIME_DAYS = 365


class SecuritySettings(models.Model):
    """The office's choices about API tokens, in the admin: one row (primary key 1, created
    by a migration). A token's expiry is fixed when it is issued."""

    id = models.PositiveSmallIntegerField(
        primary_key=True, default=SECURITY_SETTINGS_PK, editable=False
    )
    token_lifetime_days = models.PositiveSmallIntegerField(
        _("API token lifetime (days)"),
        default=DEFAULT_TOKEN_LIFETIME_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TOKEN_LIFETIME_DAYS)],
        help_text=_(
            "A token issued at sign-in to the API stops working this many days later; the "
            "caller then signs in again. Applies to tokens issued from now on."
        ),
    )

    class Meta:
        verbose_name = _("security settings")
        verbose_name_plural = _("security settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(id=SECURITY_SETTINGS_PK), name="security_settings_single_row"
            ),
            models.CheckConstraint(
                condition=Q(token_lifetime_days__gte=1)
                & Q(token_lifetime_days__lte=MAX_TOKEN_LIFETIME_DAYS),
                name="security_settings_token_lifetime_range",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Security settings"))


class SignInKind(models.TextChoices):
    SIGNED_IN = "signed_in", _("Signed in")
    FAILED = "failed", _("Failed sign-in")
    LOCKED_OUT = "locked_out", _("Refused: locked out")
    SIGNED_OUT = "signed_out", _("Signed out")
    TOKENS_REVOKED = "tokens_revoked", _("API tokens revoked")


class SignInChannel(models.TextChoices):
    API = "api", _("API")
    WEB = "web", _("Web pages")
    ADMIN = "admin", _("Admin")
    SYSTEM = "system", _("System")  # no request: a management command, a data change


class RevocationReason(models.TextChoices):
    SIGNED_OUT_EVERYWHERE = "signed_out_everywhere", _("Signed out everywhere")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    DEACTIVATED = "deactivated", _("Account deactivated")


class SignInEventQuerySet(models.QuerySet["SignInEvent"]):
    def update(self, **kwargs: object) -> int:
        raise AppendOnlyError("The sign-in log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The sign-in log is append-only.")


USERNAME_MAX_LENGTH = 150
USER_AGENT_MAX_LENGTH = 255


class SignInEvent(models.Model):
    """One sign-in, failed sign-in, refusal for a lockout, sign-out or revocation of API
    tokens. Append-only: rows are never updated or deleted (a trigger enforces it too,
    migration 0013)."""

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    kind = models.CharField(_("event"), max_length=32, choices=SignInKind.choices)
    channel = models.CharField(_("sign-in channel"), max_length=16, choices=SignInChannel.choices)
    username = models.CharField(_("username"), max_length=USERNAME_MAX_LENGTH, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=USER_AGENT_MAX_LENGTH, blank=True)
    reason = models.CharField(
        _("reason"), max_length=32, choices=RevocationReason.choices, blank=True
    )

    objects: ClassVar[SignInEventQuerySet] = SignInEventQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("sign-in event")
        verbose_name_plural = _("sign-in log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "at"], name="sign_in_event_user_at_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SignInKind.values), name="sign_in_event_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=SignInChannel.values), name="sign_in_event_channel_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.username}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise AppendOnlyError("The sign-in log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The sign-in log is append-only.")


class ApiToken(AuthToken):
    """knox's token, under a name the admin can translate (knox's has no catalog)."""

    class Meta:
        proxy = True
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        # knox's shows the digest; the lookup key (the token's first characters) suffices.
        return f"{self.token_key}… · {self.user}"
