"""The official calendar shipped as data: the notices' days in the working-day rules (the
office's adjustments still win), the shipped files, and the command that loads a year's
file (idempotent, all or nothing, every problem named)."""

from datetime import date
from pathlib import Path

import holidays
import pytest
from django.core.management import CommandError, call_command

from tests.tracker.calendar_api_support import Api, added
from tracker.models import (
    CalendarAdjustment,
    CalendarAdjustmentKind,
    OfficialCalendarDay,
    OfficialNotice,
    User,
)
from tracker.selectors.calendar import add_working_days, is_working_day, working_days_between
from tracker.services.calendar import calendar_adjustment_create
from tracker.services.official_calendar import (
    OfficialCalendarError,
    official_calendar_read,
    shipped_calendar_files,
)

pytestmark = pytest.mark.django_db


def snapshot() -> list[tuple]:
    """Every official row as it stands, to see that a load changed nothing."""
    notices = list(OfficialNotice.objects.order_by("number").values_list())
    days = list(OfficialCalendarDay.objects.order_by("date").values_list())
    return [*notices, *days]


# --- New Year 2026 (dispatch 12729/VPCP-KGVX), which the holidays package does not know ------


def test_new_year_2026_swap_with_no_office_adjustment():
    assert not CalendarAdjustment.objects.exists()
    assert add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 5)
    assert is_working_day(date(2026, 1, 10))  # Saturday, worked for Friday 2/1
    assert not is_working_day(date(2026, 1, 2))
    assert working_days_between(date(2026, 1, 9), date(2026, 1, 12)) == 2  # Sat 10 and Mon 12
    # The package alone would say otherwise: the data is what makes it right.
    statutory = holidays.country_holidays("VN", years=2026)
    assert date(2026, 1, 2) not in statutory
    assert date(2026, 1, 10) not in statutory.weekend_workdays


def test_the_api_counts_with_the_official_days(api: Api, officer: User):
    assert added(api(officer), "2025-12-31", 1) == "2026-01-05"
    assert added(api(officer), "2026-01-09", 1) == "2026-01-10"


def test_the_notice_of_each_day_is_recorded():
    day = OfficialCalendarDay.objects.select_related("notice").get(date=date(2026, 1, 2))
    assert day.kind == CalendarAdjustmentKind.DAY_OFF
    assert (day.notice.number, day.notice.issued_on) == ("12729/VPCP-KGVX", date(2025, 12, 25))
    assert day.notice.verified
    assert OfficialCalendarDay.objects.get(date=date(2026, 1, 10)).notice == day.notice


# --- the office's adjustments still win ------------------------------------------------------


def test_an_office_adjustment_wins_over_an_official_day():
    calendar_adjustment_create(date=date(2026, 1, 2), kind=CalendarAdjustmentKind.WORKING_DAY)
    calendar_adjustment_create(date=date(2026, 1, 10), kind=CalendarAdjustmentKind.DAY_OFF)
    assert is_working_day(date(2026, 1, 2))
    assert not is_working_day(date(2026, 1, 10))
    assert add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 2)


def test_an_adjustment_the_official_day_already_makes_is_refused():
    with pytest.raises(Exception, match=r"already a day off|đã là ngày nghỉ"):
        calendar_adjustment_create(date=date(2026, 1, 2), kind=CalendarAdjustmentKind.DAY_OFF)


def test_the_office_can_make_vietnam_cultural_day_a_working_day():
    cultural_day = date(2026, 11, 24)  # a Tuesday, a holiday by law from 2026
    assert not is_working_day(cultural_day)
    assert not OfficialCalendarDay.objects.filter(date=cultural_day).exists()
    calendar_adjustment_create(
        date=cultural_day, kind=CalendarAdjustmentKind.WORKING_DAY, note="Theo thông báo"
    )
    assert is_working_day(cultural_day)
    assert add_working_days(date(2026, 11, 23), 1) == cultural_day


# --- the shipped files -------------------------------------------------------------------------


def test_the_migration_loaded_every_shipped_file():
    files = [official_calendar_read(path) for path in shipped_calendar_files()]
    assert {data.year for data in files} >= {2025, 2026}
    shipped = {
        day.date: day.kind for data in files for notice in data.notices for day in notice.days
    }
    assert dict(OfficialCalendarDay.objects.values_list("date", "kind")) == shipped
    numbers = {notice.number for data in files for notice in data.notices}
    assert set(OfficialNotice.objects.values_list("number", flat=True)) == numbers


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_shipped_days_agree_with_the_package_but_for_new_year_2026(year: int):
    statutory = holidays.country_holidays("VN", years=year)
    differences = []
    for day in OfficialCalendarDay.objects.filter(date__year=year):
        package_working = (
            day.date in statutory.weekend_workdays
            if day.date.weekday() >= 5
            else day.date not in statutory
        )
        if package_working != (day.kind == CalendarAdjustmentKind.WORKING_DAY):
            differences.append(day.date)
    assert differences == ([date(2026, 1, 2), date(2026, 1, 10)] if year == 2026 else [])


def test_an_unverified_notice_says_what_was_not_checked():
    for notice in OfficialNotice.objects.filter(verified=False):
        assert notice.note, notice.number


# --- the command ---------------------------------------------------------------------------


NEW_YEAR = """\
year: 2030
notices:
  - number: "1/TEST-KGVX"
    issued_on: 2029-12-20
    issuer: "Văn phòng Chính phủ"
    title: "A test notice: Wednesday 2/1/2030 off, Saturday 5/1/2030 worked"
    verified: true
    days:
      - {date: 2030-01-02, kind: day_off, label: "Nghỉ hoán đổi"}
      - {date: 2030-01-05, kind: working_day, label: "Làm bù"}
"""


def write(tmp_path: Path, text: str, name: str = "vn-2030.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_command_loads_a_new_year_and_loading_it_again_changes_nothing(tmp_path, capsys):
    assert is_working_day(date(2030, 1, 2)) and not is_working_day(date(2030, 1, 5))
    path = write(tmp_path, NEW_YEAR)
    call_command("load_official_calendar", str(path))
    assert "2 created" in capsys.readouterr().out
    assert not is_working_day(date(2030, 1, 2)) and is_working_day(date(2030, 1, 5))
    notice = OfficialNotice.objects.get(number="1/TEST-KGVX")
    assert notice.days.count() == 2
    before = snapshot()
    call_command("load_official_calendar", str(path))
    assert "already loaded, unchanged" in capsys.readouterr().out
    assert snapshot() == before
    # The other years are untouched.
    assert OfficialCalendarDay.objects.filter(date=date(2026, 1, 2)).exists()


def test_a_changed_file_updates_its_days_and_drops_those_it_no_longer_lists(tmp_path, capsys):
    call_command("load_official_calendar", str(write(tmp_path, NEW_YEAR)))
    changed = NEW_YEAR.replace('label: "Làm bù"', 'label: "Làm bù cho 2/1"').replace(
        '      - {date: 2030-01-02, kind: day_off, label: "Nghỉ hoán đổi"}\n', ""
    )
    call_command("load_official_calendar", str(write(tmp_path, changed)))
    assert "1 updated, 1 deleted" in capsys.readouterr().out
    assert list(
        OfficialCalendarDay.objects.filter(date__year=2030).values_list("date", "label")
    ) == [(date(2030, 1, 5), "Làm bù cho 2/1")]
    assert is_working_day(date(2030, 1, 2))


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("kind: day_off", "kind: holiday", "notice 1 (1/TEST-KGVX), day 1 (2030-01-02): 'kind'"),
        ("date: 2030-01-05", "date: 2031-01-04", "day 2 (2031-01-04): the date is not in"),
        ("date: 2030-01-05", "date: 2030-01-02", "day 2 (2030-01-02): the date is also"),
        ("date: 2030-01-05", "date: 2030-02-30", "day 2: 'date' must be a date"),
        ("    verified: true\n", "", "notice 1 (1/TEST-KGVX): 'verified' is missing"),
        (
            'issuer: "Văn phòng Chính phủ"',
            'issuer: ""',
            "notice 1 (1/TEST-KGVX): 'issuer' is empty",
        ),
        ("    title:", "    titel:", "unknown key 'titel'"),
        ("year: 2030", "year: twenty", "'year' must be a year"),
        ("notices:\n", "notices: [\n", "is not valid YAML"),
        ('    title: "A test', '    title: 7\n    note: "A test', "'title' must be text"),
        ("issued_on: 2029-12-20", "issued_on: 1970-01-01", "'issued_on' 1970-01-01 is outside"),
        ("year: 2030", "year: 1900", "'year' 1900 is outside"),
        ("    verified: true", "    verified: 1", "'verified' must be true or false, not 1"),
        ("    verified: true", "    verified: true\n    url: ftp://x", "'url' must start with"),
        ("    days:\n", "    days: []\n    old_days:\n", "'days' must be a list of at least"),
        ("notices:\n", "notices: []\nold:\n", "'notices' must be a list of at least one"),
        ("  - number:", "  - 5\n  - number:", "notice 1: must be a mapping"),
        (
            'issuer: "Văn phòng Chính phủ"',
            'issuer: "' + "x" * 300 + '"',
            "'issuer' is longer than 255 characters",
        ),
    ],
)
def test_a_bad_file_is_refused_naming_the_entry_and_nothing_changes(
    tmp_path, old: str, new: str, problem: str
):
    assert old in NEW_YEAR
    good = write(tmp_path, NEW_YEAR.replace("2030", "2031").replace("2029", "2030"), "vn-2031.yaml")
    bad = write(tmp_path, NEW_YEAR.replace(old, new))
    before = snapshot()
    with pytest.raises(CommandError, match="nothing was loaded") as refused:
        call_command("load_official_calendar", str(good), str(bad))
    assert problem in str(refused.value)
    assert snapshot() == before  # the good file was not loaded either


def test_every_problem_of_a_file_is_listed(tmp_path):
    text = NEW_YEAR.replace("kind: day_off", "kind: off").replace('label: "Làm bù"', "label: 5")
    with pytest.raises(OfficialCalendarError) as refused:
        official_calendar_read(write(tmp_path, text))
    assert len(refused.value.problems) == 2


def test_two_files_of_one_year_are_refused(tmp_path):
    first = write(tmp_path, NEW_YEAR)
    second = write(tmp_path, NEW_YEAR, "copy.yaml")
    with pytest.raises(CommandError, match=r"also vn-2030\.yaml's"):
        call_command("load_official_calendar", str(first), str(second))
    assert not OfficialCalendarDay.objects.filter(date__year=2030).exists()


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("load_official_calendar", str(tmp_path / "vn-2040.yaml"))
