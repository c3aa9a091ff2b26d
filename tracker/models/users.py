from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICE = "office", _("Chairman's office")
    LEADER = "leader", _("Provincial leader")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    DEPARTMENT_OFFICER = "department_officer", _("Department officer")
    SCORING = "scoring", _("Scoring (Department of Home Affairs)")
    # Another system's account (the document exchange): it only delivers edXML packages
    # and reads their status packages; every other endpoint and page refuses it.
    INTEGRATION = "integration", _("Integration account")


DEPARTMENT_ROLES = (Role.DEPARTMENT_HEAD, Role.DEPARTMENT_OFFICER)


class UserManager(DjangoUserManager["User"]):
    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> "User":
        """`manage.py createsuperuser` (interactive or --noinput): a system administrator
        with the office's role, so the account works in the web pages as well."""
        extra.setdefault("role", Role.OFFICE)
        return super().create_superuser(username, email, password, **extra)


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    department = models.ForeignKey(
        "tracker.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="vi"
    )

    objects: ClassVar[UserManager] = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="user_role_valid"),
            models.CheckConstraint(
                condition=~Q(role__in=DEPARTMENT_ROLES) | Q(department__isnull=False),
                name="user_department_role_has_department",
            ),
            models.CheckConstraint(
                condition=Q(language__in=[code for code, _name in settings.LANGUAGES]),
                name="user_language_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_office(self) -> bool:
        """Superusers have every right of the office."""
        return self.is_superuser or self.role == Role.OFFICE

    @property
    def is_integration(self) -> bool:
        """Confined to the endpoints that say they take it (`integration_allowed`)."""
        return not self.is_superuser and self.role == Role.INTEGRATION

    @property
    def is_department_member(self) -> bool:
        return not self.is_superuser and self.role in DEPARTMENT_ROLES
