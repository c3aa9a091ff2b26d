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


class HigherBody(models.TextChoices):
    """Who above the province a directive came from (the office marks it; a directive
    received by edXML records its sender's name and OrganId whatever its kind)."""

    NONE = "none", _("Not from a higher body")
    GOVERNMENT = "government", _("Government")
    PRIME_MINISTER = "prime_minister", _("Prime Minister")
    MINISTRY = "ministry", _("Ministry or central agency")
    OTHER = "other", _("Other higher body")


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
    issuing_body = models.CharField(_("issuing body"), max_length=500, blank=True)
    # edXML's DocumentId of the document this directive was received as: a package sent
    # twice is found by it.
    external_id = models.CharField(_("external identifier"), max_length=255, blank=True)
    default_deadline = models.DateField(_("default deadline of its tasks"), null=True, blank=True)
    higher_body = models.CharField(
        _("received from"), max_length=32, choices=HigherBody.choices, default=HigherBody.NONE
    )
    higher_body_name = models.CharField(_("higher body's name"), max_length=500, blank=True)
    higher_number = models.CharField(_("higher body's document number"), max_length=64, blank=True)
    higher_deadline = models.DateField(_("higher body's deadline"), null=True, blank=True)
    # The sender's edXML OrganId: where the status package is addressed.
    higher_organ_id = models.CharField(_("higher body's organ id"), max_length=64, blank=True)
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
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~Q(external_id=""),
                name="directive_external_id_unique",
            ),
            models.CheckConstraint(
                condition=Q(higher_body__in=HigherBody.values),
                name="directive_higher_body_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} – {self.title}"


class DirectiveFile(models.Model):
    """A file of a directive: an edXML package's attachment, checked as a report's
    attachment is (tracker/services/attachments.py)."""

    directive = models.ForeignKey(
        Directive, on_delete=models.CASCADE, related_name="files", verbose_name=_("directive")
    )
    file = models.FileField(_("file"), upload_to="directives/%Y/%m/", max_length=255)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("directive file")
        verbose_name_plural = _("directive files")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
