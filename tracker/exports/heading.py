"""The parts of an administrative document around a report's table, as Decree
30/2020/NĐ-CP lays them out and the office's settings fill them: the governing and issuing
bodies with the number and symbol (top left), the national heading and motto (top right),
the place and date line, the recipients ("Nơi nhận") and the signature blocks."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from tracker.models import ReportSettings

NUMBER_BLANK = "\u00a0" * 6  # the number is written in when the report is registered


@dataclass(frozen=True)
class Signature:
    authority: str  # "KT. CHÁNH VĂN PHÒNG", or empty
    title: str
    name: str


@dataclass(frozen=True)
class ReportHeading:
    governing_body: str
    issuing_body: str
    number: str  # "Số:      /BC-VP"
    national_heading: str
    motto: str
    place_date: str
    recipients: list[str]
    recipients_label: str  # "Nơi nhận:"
    kind: str  # the document's kind above its title: "BÁO CÁO"
    preparer: Signature
    signer: Signature


def _day_text(day: date) -> tuple[str, str]:
    """Day and month as Decree 30 writes them: a zero before a day under 10 and before
    months 1 and 2 (so that nothing can be written in front of them)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{day.day:02d}", month


def report_heading(settings: ReportSettings, today: date) -> ReportHeading:
    day, month = _day_text(today)
    symbol = f"/{settings.document_symbol}" if settings.document_symbol else "/"
    place_date = _("%(place)s, %(day)s/%(month)s/%(year)s") % {
        "place": settings.place,
        "day": day,
        "month": month,
        "year": today.year,
    }
    return ReportHeading(
        governing_body=settings.governing_body.upper(),
        issuing_body=settings.issuing_body.upper(),
        number=_("No.: %(number)s") % {"number": f"{NUMBER_BLANK}{symbol}"},
        national_heading=_("SOCIALIST REPUBLIC OF VIET NAM"),
        motto=_("Independence - Freedom - Happiness"),
        place_date=place_date.lstrip(", "),
        recipients=[line.strip() for line in settings.recipients.splitlines() if line.strip()],
        recipients_label=_("Recipients:"),
        kind=_("REPORT"),
        preparer=Signature("", settings.preparer_title.upper(), settings.preparer_name),
        signer=Signature(
            settings.signer_authority.upper(), settings.signer_title.upper(), settings.signer_name
        ),
    )
