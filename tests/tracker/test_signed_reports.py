"""`?format=docx` and `?format=pdf`: the report as a document to sign (issue 13, point 2),
read as an official's machine reads it. The DOCX is converted by LibreOffice to PDF, the PDF
read directly; both through poppler: A4 landscape pages, the table one page wide with its
header on every page, every row's department code beside its figures, the Vietnamese text
of the heading, the title and the foot intact, rates rounded as the office rounds them."""

import csv
import datetime as dt
import html
import io
import re
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm

from tests.conftest import client_for
from tests.factories import DepartmentFactory
from tests.office import pdf_page_sizes, pdf_pages_text, soffice_convert
from tests.tracker.indicator_support import SCORE_URL, URL, Builder, Story, example_rules, params
from tracker.exports import layout
from tracker.exports.text import TableText
from tracker.models import RateRounding
from tracker.services.report_settings import report_settings_update

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
D = dt.date
A4_LANDSCAPE = (841.9, 595.3)
MARGIN = 15 * 72 / 25.4  # the narrowest margin (right), in points
PLACES = (
    "Lũng Cú", "Phố Cáo", "Sủng Là", "Thài Phìn Tủng", "Tả Lủng", "Đồng Văn", "Mèo Vạc",
    "Quản Bạ", "Yên Minh", "Bắc Mê",
)  # fmt: skip
DEPARTMENTS = 72  # with the heading, over two A4 landscape pages
SETTINGS = {
    "governing_body": "Ủy ban nhân dân tỉnh Hà Giang",
    "issuing_body": "Văn phòng",
    "document_symbol": "BC-VP",
    "place": "Hà Giang",
    "recipients": "- Chủ tịch, các Phó Chủ tịch UBND tỉnh;\n- Lưu: VT, TH.",
    "preparer_title": "Người lập biểu",
    "preparer_name": "Nguyễn Thị Hương",
    "signer_authority": "KT. Chánh văn phòng",
    "signer_title": "Phó Chánh văn phòng",
    "signer_name": "Đặng Quốc Việt",
    "rate_rounding": RateRounding.CUT,
    "rate_decimals": 2,
}
FIGURE = re.compile(r"^(\d[\d.,]*|—)$")


@pytest.fixture
def many(builder: Builder) -> str:
    """72 communes with names in Vietnamese; one (XA01) with 2 of 3 tasks on time, a rate
    that is 66,66 % cut and 66,67 % rounded half up. Answers that department's code."""
    example_rules(2026)
    report_settings_update(**SETTINGS)
    departments = [
        DepartmentFactory(code=f"XA{n:02d}", name=f"UBND xã {PLACES[n % len(PLACES)]} số {n}")
        for n in range(1, DEPARTMENTS + 1)
    ]
    story = {"assigned_on": D(2026, 3, 2), "deadline": D(2026, 4, 30)}
    for completed_on in (D(2026, 4, 10), D(2026, 4, 20), None):
        builder.task(departments[0], Story(**story, completed_on=completed_on))
    return departments[0].code


def download(url: str, user, file_format: str, tmp_path: Path, **extra: Any) -> Path:
    response = client_for(user, "vi").get(url, params(format=file_format, **extra))
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == {"docx": DOCX, "pdf": PDF}[file_format]
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="') and disposition.endswith(
        f'.{file_format}"'
    )
    path = tmp_path / disposition.split('"')[1]
    path.write_bytes(response.content)
    return path


def as_pdf(path: Path) -> Path:
    return soffice_convert(path, "pdf") if path.suffix == ".docx" else path


@dataclass
class Word:
    x_min: float
    x_max: float
    text: str


def page_words(pdf: Path) -> list[list[Word]]:
    """Each page's words with their horizontal extent (`pdftotext -bbox`)."""
    done = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    word = re.compile(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" [^>]*>(.*?)</word>')
    return [
        [Word(float(a), float(b), html.unescape(text)) for a, b, text in word.findall(page)]
        for page in done.stdout.split("<page ")[1:]
    ]


def flat(text: str) -> str:
    return " ".join(text.split())


def csv_headers(user, url: str, **extra: Any) -> list[str]:
    response = client_for(user, "vi").get(url, params(format="csv", **extra))
    return next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def assert_signed_report(
    pdf: Path, codes: list[str], headers: list[str], figures: bool = True
) -> list[str]:
    """What every such document must be; answers the pages' text. With `figures`, every
    line of figures (a line with a figure in each numeric column) must start with its
    department's code: the date line of a table of two numbers would look like one."""
    sizes = pdf_page_sizes(pdf)
    pages = pdf_pages_text(pdf)
    assert len(pages) == len(sizes) >= 2
    for width, height in sizes:
        assert (round(width, 1), round(height, 1)) == pytest.approx(A4_LANDSCAPE, abs=0.5)
    header_words = Counter(word for header in headers for word in header.split())
    seen: list[str] = []
    numeric_columns = len(headers) - 2
    for number, (text, words) in enumerate(zip(pages, page_words(pdf), strict=True), 1):
        tokens = text.split()
        on_page = [token for token in tokens if token in codes]
        figure_lines = [
            line.split()
            for line in text.splitlines()
            if figures
            and sum(bool(FIGURE.match(token)) for token in line.split()) >= numeric_columns
        ]
        if not (figure_lines or on_page):
            continue
        # Every row of figures printed beside its department's code (or is the total).
        for line in figure_lines:
            assert line[0] in codes or "Tổng" in line, (number, line)
        # The header on every page of the table, every word of it (none cut).
        missing = header_words - Counter(tokens)
        assert not missing, (number, missing)
        # One page wide: nothing beyond the margins, the last column's header there.
        assert max(word.x_max for word in words) <= A4_LANDSCAPE[0] - MARGIN + 2, number
        assert min(word.x_min for word in words) >= MARGIN - 2, number
        assert headers[-1].split()[-1] in tokens and headers[0].split()[0] in tokens
        seen += on_page
    assert sorted(seen) == sorted(codes)  # each department once, none lost
    return pages


def assert_vietnamese_intact(pages: list[str], title: str) -> None:
    text = flat(" ".join(pages))
    with translation.override("vi"):
        report, recipients = translation.gettext("REPORT"), translation.gettext("Recipients:")
    for expected in (
        "ỦY BAN NHÂN DÂN TỈNH HÀ GIANG",
        "VĂN PHÒNG",
        "Số: /BC-VP",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hà Giang, ngày 21 tháng 11 năm 2026",
        report,
        title,
        "từ 01/01/2026 đến 31/12/2026, tính đến ngày 21/11/2026",
        recipients,
        "- Chủ tịch, các Phó Chủ tịch UBND tỉnh;",
        "NGƯỜI LẬP BIỂU",
        "Nguyễn Thị Hương",
        "KT. CHÁNH VĂN PHÒNG",
        "PHÓ CHÁNH VĂN PHÒNG",
        "Đặng Quốc Việt",
    ):
        assert expected in text, expected
    for name in ("UBND xã Thài Phìn Tủng số 3", "UBND xã Lũng Cú số 10"):
        assert name_printed(name, text), name


def name_printed(name: str, text: str) -> bool:
    """A department's name, intact, on one line or wrapped in its cell: pdftotext reads by
    lines, so a wrapped name's second line comes after the row's figures."""
    if name in text:
        return True
    words = name.split()
    for cut in range(1, len(words)):
        head, tail = " ".join(words[:cut]), " ".join(words[cut:])
        if re.search(re.escape(head) + r"(?: \S+){1,40}? " + re.escape(tail) + r"(?!\S)", text):
            return True
    return False


@pytest.mark.parametrize("file_format", ["docx", "pdf"])
def test_indicators_as_a_document_to_sign(many, office_user, tmp_path, file_format):
    data = client_for(office_user, "vi").get(URL, params()).json()
    codes = [row["department"]["code"] for row in data["departments"]]
    assert len(codes) >= DEPARTMENTS
    pdf = as_pdf(download(URL, office_user, file_format, tmp_path))
    pages = assert_signed_report(pdf, codes, csv_headers(office_user, URL))
    assert_vietnamese_intact(pages, "Chỉ tiêu thực hiện nhiệm vụ")
    # The office cuts to 2 decimals: 2/3 is 66,66 % (rounded half up it would be 66,67).
    row = next(line.split() for page in pages for line in page.splitlines() if many in line)
    named = len(data["rate_definitions"])  # their columns follow API.md's three rates
    assert row[-3 - named : len(row) - named] == ["66,66", "66,66", "66,66"]
    assert "66,67" not in " ".join(pages)
    assert name_printed("UBND xã Phố Cáo số 1", flat(" ".join(pages)))


def test_the_docx_as_word_reads_it(many, office_user, tmp_path):
    document = Document(str(download(URL, office_user, "docx", tmp_path)))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    assert section.page_width == pytest.approx(Mm(297), abs=Mm(0.5))
    table = document.tables[1]  # after the heading's
    first, *rows = table.rows
    assert first._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in [first, *rows])
    assert len(rows) == len(client_for(office_user).get(URL, params()).json()["departments"]) + 1
    assert sum(column.width for column in table.columns) <= section.page_width - (
        section.left_margin + section.right_margin
    )
    paragraphs = [*document.paragraphs]
    for each in document.tables:
        paragraphs += [p for row in each.rows for cell in row.cells for p in cell.paragraphs]
    runs = [run for paragraph in paragraphs for run in paragraph.runs]
    assert len(runs) > len(rows) * len(table.columns)
    for run in runs:  # every script's font named: Word substitutes none
        fonts = run._r.rPr.rFonts
        scripts = ("ascii", "hAnsi", "eastAsia", "cs")
        assert {fonts.get(qn(f"w:{script}")) for script in scripts} == {"Times New Roman"}
    bold_total = [run.bold for run in rows[-1].cells[1].paragraphs[0].runs]
    assert bold_total == [True]


@pytest.mark.parametrize("file_format", ["docx", "pdf"])
def test_leadership_score_as_a_document_to_sign(many, office_user, tmp_path, file_format):
    data = client_for(office_user, "vi").get(SCORE_URL, params(rule="PAR-TASKS-10")).json()
    codes = [row["department"]["code"] for row in data["departments"]]
    pdf = as_pdf(download(SCORE_URL, office_user, file_format, tmp_path, rule="PAR-TASKS-10"))
    headers = csv_headers(office_user, SCORE_URL, rule="PAR-TASKS-10")
    pages = assert_signed_report(pdf, codes, headers, figures=False)
    text = flat(" ".join(pages))
    with translation.override("vi"):
        assert translation.gettext("not applicable") in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Đặng Quốc Việt" in text
    row = next(line.split() for page in pages for line in page.splitlines() if many in line)
    assert "66,66" in row


@pytest.mark.parametrize("file_format", ["docx", "pdf"])
def test_empty_settings_print_nothing_for_their_parts(many, office_user, tmp_path, file_format):
    report_settings_update(
        **{name: "" for name in SETTINGS if name not in ("rate_rounding", "rate_decimals")}
    )
    pdf = as_pdf(download(URL, office_user, file_format, tmp_path))
    text = flat(" ".join(pdf_pages_text(pdf)))
    assert "None" not in text
    with translation.override("vi"):
        assert translation.gettext("Recipients:") not in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Số: /" in text
    assert "NGƯỜI LẬP BIỂU" not in text
    assert name_printed("UBND xã Lũng Cú số 10", text)


@pytest.mark.parametrize("url", [URL, SCORE_URL])
def test_errors_stay_json_for_the_documents(many, office_user, url):
    client = client_for(office_user)
    bad = client.get(url, params(format="pdf", rule="PAR-TASKS-10", as_of="2030-01-01"))
    assert bad.status_code == 400 and bad["Content-Type"] == "application/json"
    assert set(bad.json()) == {"as_of"} and "Content-Disposition" not in bad
    bad = client.get(url, params(format="docx", rule="PAR-TASKS-10", to="31/12/2026"))
    assert bad.status_code == 400 and bad["Content-Type"] == "application/json"
    unknown = client.get(url, params(format="odt", rule="PAR-TASKS-10"))
    assert unknown.status_code == 404 and unknown["Content-Type"] == "application/json"
    assert io.BytesIO(unknown.content).read(1) == b"{"


@pytest.mark.django_db(False)
@pytest.mark.parametrize("columns", [4, 14, 25, 60])
def test_the_table_fits_one_page_wide_however_many_columns(columns):
    """The columns will grow (issue 13: up to ~25): the table keeps to the page's width,
    and below its smallest size a figure still never wraps while the page can hold it."""
    figures = ["1.234", "98,62", "—"]
    text = TableText(
        headers=["Mã đơn vị", "Tên đơn vị"] + ["Completed on time (%)"] * (columns - 2),
        rows=[
            ["XA01", "Ủy ban nhân dân xã Thài Phìn Tủng", *figures[: columns - 2]]
            + ["100,00"] * max(columns - 5, 0)
        ],
        numeric=[False, False] + [True] * (columns - 2),
        total_rows=0,
    )
    fit = layout.table_fit(text)
    assert sum(fit.widths) <= layout.TEXT_WIDTH + 0.01
    assert layout.TABLE_SIZES[-1] <= fit.size <= layout.TABLE_SIZES[0]
    if columns <= 25:
        for width, cell in zip(fit.widths, text.rows[0], strict=True):
            assert width >= layout.text_width(cell.split()[-1], fit.size) + 2 * layout.CELL_PADDING
        assert fit.widths[0] >= layout.text_width("XA01", fit.size) + 2 * layout.CELL_PADDING
