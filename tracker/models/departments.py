from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class DepartmentKind(models.TextChoices):
    SO = "so", _("Department, board or agency (sở, ban, ngành)")
    UBND_XA = "ubnd_xa", _("Commune, ward or special zone People's Committee")
    UBND_HUYEN = "ubnd_huyen", _("District People's Committee (legacy)")
    KHAC = "khac", _("Other")


class Department(models.Model):
    # Unique ignoring case ("syt" is "SYT"): the constraint on lower(code) below.
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=16, choices=DepartmentKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    head = models.ForeignKey(
        "tracker.User",
        verbose_name=_("head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_departments",
    )
    supervising_leader = models.ForeignKey(
        "tracker.User",
        verbose_name=_("supervising leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervised_departments",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]
        constraints = [
            # tracker.services.departments.department_code_errors says it in words first.
            models.UniqueConstraint(Lower("code"), name="department_code_unique_ignoring_case"),
            models.CheckConstraint(condition=~Q(code=""), name="department_code_not_empty"),
            models.CheckConstraint(condition=~Q(name=""), name="department_name_not_empty"),
            models.CheckConstraint(
                condition=Q(kind__in=DepartmentKind.values), name="department_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="department_not_own_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"
