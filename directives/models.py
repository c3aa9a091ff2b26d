from django.db import models
from django.db.models import Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from config.common.search import Folded


class DirectiveKind(models.TextChoices):
    THONG_BAO_KET_LUAN = "thong_bao_ket_luan", _("Conclusion notice")
    CHI_THI = "chi_thi", _("Directive (chỉ thị)")
    CONG_VAN = "cong_van", _("Official letter")
    QUYET_DINH = "quyet_dinh", _("Decision")
    KE_HOACH = "ke_hoach", _("Plan")
    Y_KIEN_CHI_DAO = "y_kien_chi_dao", _("Guidance opinion")


class Directive(models.Model):
    number = models.CharField(_("number and symbol"), max_length=64)
    kind = models.CharField(_("kind"), max_length=32, choices=DirectiveKind.choices)
    title = models.CharField(_("title"), max_length=500)
    issued_on = models.DateField(_("issued on"))
    # Numbers restart each year: a directive is unique by number + issue year.
    issued_year = models.GeneratedField(
        expression=ExtractYear("issued_on"),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
        verbose_name=_("issue year"),
    )
    signer = models.CharField(_("signer"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    # Number, title and summary folded, searched without diacritics (config/common/search.py)
    # under a trigram index on PostgreSQL (migration 0003).
    search_text = models.GeneratedField(
        expression=Folded("number", "title", "summary"),
        output_field=models.TextField(),
        db_persist=True,
    )
    created_by = models.ForeignKey(
        "tracker.User",
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("directive")
        verbose_name_plural = _("directives")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["number", "issued_year"], name="directive_number_unique_per_year"
            ),
            models.CheckConstraint(condition=~Q(number=""), name="directive_number_not_empty"),
            models.CheckConstraint(condition=~Q(title=""), name="directive_title_not_empty"),
            models.CheckConstraint(
                condition=Q(kind__in=DirectiveKind.values), name="directive_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} – {self.title}"
