"""What the office's printed reports carry beside their figures: the heading block of an
administrative document (Decree 30/2020/NĐ-CP: the governing and issuing bodies, the number
and symbol, the place and date), the recipients, the signature block, and how rates are
shown (half up or cut, how many decimals). One row, edited by the office."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

REPORT_SETTINGS_PK = 1  # the primary key of the single ReportSettings row
MAX_RATE_DECIMALS = 4  # of a percentage: 98.6297 %, the JSON's own precision and beyond


class RateRounding(models.TextChoices):
    HALF_UP = "half_up", _("Round half up (98.63 %)")
    CUT = "cut", _("Cut the further decimals (98.62 %)")


class ReportSettings(models.Model):
    id = models.PositiveSmallIntegerField(
        primary_key=True, default=REPORT_SETTINGS_PK, editable=False
    )
    governing_body = models.CharField(
        _("governing body"),
        max_length=120,
        blank=True,
        help_text=_("Above the issuing body, e.g. “ỦY BAN NHÂN DÂN TỈNH HÀ GIANG”."),
    )
    issuing_body = models.CharField(
        _("issuing body"), max_length=120, blank=True, help_text=_("E.g. “VĂN PHÒNG”.")
    )
    document_symbol = models.CharField(
        _("document symbol"),
        max_length=40,
        blank=True,
        help_text=_(
            "After the number, which is written in when the report is registered: "
            "e.g. “BC-VP” gives “Số:      /BC-VP”."
        ),
    )
    place = models.CharField(
        _("place"), max_length=60, blank=True, help_text=_("Of the date line, e.g. “Hà Giang”.")
    )
    recipients = models.TextField(
        _("recipients"),
        blank=True,
        help_text=_("“Nơi nhận”: one recipient a line, e.g. “- Chủ tịch UBND tỉnh;”."),
    )
    preparer_title = models.CharField(
        _("preparer's title"), max_length=120, blank=True, help_text=_("E.g. “NGƯỜI LẬP BIỂU”.")
    )
    preparer_name = models.CharField(_("preparer's name"), max_length=120, blank=True)
    signer_authority = models.CharField(
        _("signing on behalf of"),
        max_length=120,
        blank=True,
        help_text=_("E.g. “KT. CHÁNH VĂN PHÒNG” when a deputy signs; empty otherwise."),
    )
    signer_title = models.CharField(
        _("signer's title"), max_length=120, blank=True, help_text=_("E.g. “CHÁNH VĂN PHÒNG”.")
    )
    signer_name = models.CharField(_("signer's name"), max_length=120, blank=True)
    rate_rounding = models.CharField(
        _("rounding of rates"),
        max_length=16,
        choices=RateRounding.choices,
        default=RateRounding.HALF_UP,
        help_text=_(
            "How rates are shown in the pages and the reports; the API keeps them exact "
            "to 4 decimals."
        ),
    )
    rate_decimals = models.PositiveSmallIntegerField(
        _("decimals of rates"),
        default=2,
        validators=[MaxValueValidator(MAX_RATE_DECIMALS)],
        help_text=_("Decimals of a percentage as shown: 2 gives 98.62 %."),
    )

    class Meta:
        verbose_name = _("report settings")
        verbose_name_plural = _("report settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(id=REPORT_SETTINGS_PK), name="report_settings_single_row"
            ),
            models.CheckConstraint(
                condition=Q(rate_rounding__in=RateRounding.values),
                name="report_settings_rate_rounding_valid",
            ),
            models.CheckConstraint(
                condition=Q(rate_decimals__lte=MAX_RATE_DECIMALS),
                name="report_settings_rate_decimals_range",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Report settings"))
