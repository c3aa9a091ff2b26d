"""The reports as an official opens and prints them (issue 13): the XLSX converted by
LibreOffice headless to PDF and read back page by page (A4 landscape, one page wide, every
printed page of the table with its header row and its departments' codes, Vietnamese text
intact), the XLSX's own settings read back by openpyxl; the CSV imported by LibreOffice as
UTF-8 under the locale it is meant for, every number a number equal to the JSON's."""

from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from openpyxl import load_workbook

from directives.demo.seeds import DEPARTMENTS
from tests.conftest import client_for
from tests.factories import DepartmentFactory
from tests.office import pdf_page_sizes, pdf_pages_text, soffice_convert
from tests.tracker.indicator_support import COUNTS, RATES, SCORE_URL, URL, params
from tests.tracker.test_indicator_exports import (  # noqa: F401 (world: a fixture)
    EN_HEADERS,
    NAMED_HEADERS_VI,
    RATE,
    expected_indicator_rows,
    json_of,
    table_header_row,
    world,
)
from tracker.models import RateRounding
from tracker.selectors.rates import RateDisplay
from tracker.services.report_settings import report_settings_update

pytestmark = pytest.mark.django_db

A4_LANDSCAPE = (841.9, 595.3)
PLACES = ("Đồng Văn", "Mèo Vạc", "Yên Minh", "Quản Bạ", "Bắc Mê", "Hoàng Su Phì", "Xín Mần")
UNITS = ("UBND xã", "UBND phường", "Trạm Y tế xã", "Trường THCS xã", "Hợp tác xã Nông nghiệp")
SETTINGS = {
    "governing_body": "Ủy ban nhân dân tỉnh Bình An",
    "issuing_body": "Văn phòng",
    "document_symbol": "BC-VP",
    "place": "Bình An",
    "recipients": "- Chủ tịch, các Phó Chủ tịch UBND tỉnh;\n- Các sở, ban, ngành;\n- Lưu: VT, TH.",
    "preparer_title": "Người lập biểu",
    "preparer_name": "Nguyễn Thị Thu Hà",
    "signer_authority": "KT. Chánh Văn phòng",
    "signer_title": "Phó Chánh Văn phòng",
    "signer_name": "Trần Quốc Hưng",
}
PRINTED = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "ỦY BAN NHÂN DÂN TỈNH BÌNH AN",
    "VĂN PHÒNG",
    "/BC-VP",
    "Bình An, ngày 21 tháng 11 năm 2026",
    "- Chủ tịch, các Phó Chủ tịch UBND tỉnh;",
    "- Lưu: VT, TH.",
    "NGƯỜI LẬP BIỂU",
    "Nguyễn Thị Thu Hà",
    "KT. CHÁNH VĂN PHÒNG",
    "PHÓ CHÁNH VĂN PHÒNG",
    "Trần Quốc Hưng",
]


@pytest.fixture
def province(world) -> None:  # noqa: F811
    """The `world` (STC, SXD, SYT with their tasks) and some 70 departments more, named
    as a province's are, and the office's heading and signatures."""
    for seed in DEPARTMENTS:
        if seed.code not in ("STC", "SXD", "SYT"):
            DepartmentFactory(code=seed.code, name=seed.name)
    for number, (unit, place) in enumerate((u, p) for u in UNITS for p in PLACES):
        DepartmentFactory(code=f"X{number:02d}", name=f"{unit} {place}")
    report_settings_update(**SETTINGS)


def words(text: str) -> str:
    """Whitespace-normalised: pdftotext breaks and spaces lines as the layout falls."""
    return " ".join(text.split())


def number_token(token: str) -> str:
    """A number as printed, whatever the locale's decimal mark and grouping."""
    return token.replace(",", ".")


def download(user, url: str, tmp_path: Path, name: str, **extra: Any) -> Path:
    response = client_for(user, "vi").get(url, params(**extra))
    assert response.status_code == 200
    path = tmp_path / name
    path.write_bytes(response.content)
    return path


def printed_pages(xlsx: Path) -> list[str]:
    pdf = soffice_convert(xlsx, "pdf")
    sizes = pdf_page_sizes(pdf)
    assert len(sizes) >= 1
    for width, height in sizes:
        assert width == pytest.approx(A4_LANDSCAPE[0], abs=2)
        assert height == pytest.approx(A4_LANDSCAPE[1], abs=2)
    return pdf_pages_text(pdf)


def rate_text(rate: float | None, display: RateDisplay) -> list[str]:
    """A rate as printed, from the JSON's 4 decimals: the same as from the exact fraction
    when rounding half up to 2 decimals (the tests below check the cut on the file)."""
    if rate is None:
        return []
    return [f"{display.percent(Fraction(str(rate)))}%"]


def assert_printed_table(pages: list[str], headers: list[str], rows: dict[str, list[str]]) -> None:
    """Each row (by its code) printed whole on one line of one page: the code, the name,
    every figure (so the table is one page wide); each page that prints rows prints the
    header row's every word (the repeated header); the heading is on a page with rows."""
    header_words = sorted(" ".join(headers).split())
    found: dict[str, int] = {}
    for number, page in enumerate(pages):
        lines = [line.split() for line in page.splitlines()]
        printed = [line for line in lines if line and line[0] in rows]
        for line in printed:
            assert line[0] not in found, f"{line[0]} printed twice"
            found[line[0]] = number
            assert list(map(number_token, line)) == list(map(number_token, rows[line[0]]))
        if printed:
            page_words = page.split()
            missing = [w for w in header_words if w not in page_words]
            assert not missing, f"page {number + 1} lacks the header's {missing}"
        if "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in words(page):
            assert printed, "the heading is alone on its page"
    assert sorted(found) == sorted(rows)
    assert len(set(found.values())) >= 2, "the table should need more than one page here"
    text = words("\n".join(pages))
    for line in PRINTED:
        assert line in text


def test_the_indicators_print_on_a4_landscape_one_page_wide(province, office_user, tmp_path):
    data = json_of(office_user, URL, language="vi")
    display = RateDisplay()
    named = [rate["code"] for rate in data["rate_definitions"]]
    rows = {
        row["department"]["code"]: [
            row["department"]["code"],
            *row["department"]["name"].split(),
            *(str(row[name]) for name in COUNTS),
            *(t for name in RATES for t in rate_text(row[name], display)),
            *(t for code in named for t in rate_text(row["named_rates"][code], display)),
        ]
        for row in data["departments"]
    }
    assert len(rows) > 60
    headers = vi_headers()
    xlsx = download(office_user, URL, tmp_path, "chi-tieu.xlsx", format="xlsx")
    pages = printed_pages(xlsx)
    assert_printed_table(pages, headers, rows)
    text = words("\n".join(pages))
    for row in data["departments"]:
        assert row["department"]["name"] in text
    assert "Chỉ tiêu thực hiện nhiệm vụ" in text


def test_the_leadership_score_prints_the_same_way(province, office_user, tmp_path):
    data = json_of(office_user, SCORE_URL, language="vi", rule="PAR-TASKS-10")
    display = RateDisplay()
    with translation.override("vi"):
        not_applicable = translation.gettext("not applicable")
        headers = [
            translation.gettext(h) for h in ("Department code", "Department name", "On-time rate")
        ]
    rows = {
        row["department"]["code"]: [
            row["department"]["code"],
            *row["department"]["name"].split(),
            *rate_text(row["metric_value"], display),
            *(str(row["points"]) if row["applicable"] else not_applicable).split(),
        ]
        for row in data["departments"]
    }
    xlsx = download(
        office_user, SCORE_URL, tmp_path, "diem.xlsx", format="xlsx", rule="PAR-TASKS-10"
    )
    assert_printed_table(printed_pages(xlsx), headers, rows)


def vi_headers() -> list[str]:
    """The indicators' headers in Vietnamese: translated, then the named rates' own names."""
    named = len(NAMED_HEADERS_VI)
    with translation.override("vi"):
        return [translation.gettext(h) for h in EN_HEADERS[:-named]] + NAMED_HEADERS_VI


def read_sheet(path: Path) -> Any:
    return load_workbook(path).active


@pytest.mark.parametrize("url", [URL, SCORE_URL])
def test_the_xlsx_page_setup_fonts_and_panes(province, office_user, tmp_path, url):
    sheet = read_sheet(
        download(office_user, url, tmp_path, "r.xlsx", format="xlsx", rule="PAR-TASKS-10")
    )
    header = table_header_row(sheet)
    setup = sheet.page_setup
    assert (setup.paperSize, setup.orientation) == (9, "landscape")
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_options.horizontalCentered
    assert sheet.print_title_rows == f"${header}:${header}"
    assert sheet.print_title_cols == "$A:$B"
    assert sheet.freeze_panes == f"C{header + 1}"
    last = sheet.max_column
    assert sheet.print_area.endswith(f"$A$1:${chr(64 + last)}${sheet.max_row}")
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert {cell.font.name for cell in cells} == {"Times New Roman"}
    heading = {cell.value: cell.font for cell in cells if cell.row < header}
    assert heading["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"].b
    assert heading["Độc lập - Tự do - Hạnh phúc"].u == "single"
    assert heading["Bình An, ngày 21 tháng 11 năm 2026"].i
    for cell in sheet[header]:
        assert cell.font.b and cell.alignment.wrap_text and cell.border.left.style == "thin"
    # Each column at least as wide as its header's longest word needs, roughly: nothing cut.
    for cell in sheet[header]:
        width = sheet.column_dimensions[cell.column_letter].width
        assert width >= max(len(word) for word in cell.value.split())


@pytest.mark.parametrize(
    ("rounding", "decimals", "total_rate", "rate_format"),
    [
        (RateRounding.CUT, 2, 0.7142, "0.00%"),  # 5 / 7 = 71.428…%: cut
        (RateRounding.HALF_UP, 2, 0.7143, "0.00%"),
        (RateRounding.CUT, 0, 0.71, "0%"),
    ],
)
def test_xlsx_rates_are_numbers_rounded_as_the_office_shows_them(
    province, office_user, tmp_path, rounding, decimals, total_rate, rate_format
):
    report_settings_update(rate_rounding=rounding, rate_decimals=decimals)
    data = json_of(office_user, URL)
    assert data["total"]["completion_rate"] == 0.7143  # the JSON keeps 4 decimals, half up
    sheet = read_sheet(download(office_user, URL, tmp_path, "r.xlsx", format="xlsx"))
    header = table_header_row(sheet)
    table = list(sheet.iter_rows(min_row=header + 1, max_row=header + len(data["departments"]) + 1))
    rates = [cell for row in table for cell in row[RATE:] if cell.value is not None]
    assert rates and all(isinstance(cell.value, float | int) for cell in rates)
    assert {cell.number_format for cell in rates} == {rate_format}
    total = table[-1]
    assert total[1].value == "Tổng cộng" and total[1].font.b
    assert total[RATE].value == total_rate
    counts = [cell for row in table for cell in row[2 : 2 + len(COUNTS)]]
    assert all(isinstance(cell.value, int) for cell in counts)
    assert {cell.number_format for cell in counts} == {"#,##0"}


# --- the CSV, as LibreOffice imports it -------------------------------------------------

# LibreOffice's CSV filter options: separator, text delimiter (34: "), character set (76:
# UTF-8), first line, column formats (none: detect), language (1066: Vietnamese, 1033:
# English (USA)), as README tells an official to choose them in the import dialog. The
# default file is for a locale whose decimal mark is a point: under Vietnamese, LibreOffice
# reads its "0.7500" as text (tried: LibreOffice 7.4), hence `locale=vi` for Vietnamese.
CSV_IMPORTS = {"vi": "CSV:59,34,76,1,,1066", "": "CSV:44,34,76,1,,1033"}


@pytest.mark.parametrize("locale", ["vi", ""])
def test_the_csv_opens_in_libreoffice_with_numbers_and_diacritics(
    province, office_user, tmp_path, locale
):
    data = json_of(office_user, URL, language="vi")
    csv_path = download(
        office_user, URL, tmp_path, "chi-tieu.csv", format="csv", locale=locale or None
    )
    sheet = read_sheet(soffice_convert(csv_path, "xlsx", infilter=CSV_IMPORTS[locale]))
    headers, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert headers == vi_headers()
    *expected, total = expected_indicator_rows(data)
    sxd = next(row for row in expected if row[0] == "SXD")
    sxd[1] = "'=1+1 Sở Xây dựng"  # kept as text, never run as a formula
    assert rows[:-1] == expected
    for row in rows:
        assert all(isinstance(value, int) for value in row[2 : 2 + len(COUNTS)])
        assert all(value is None or isinstance(value, float | int) for value in row[RATE:])
    assert rows[-1][2:] == total[2:]
