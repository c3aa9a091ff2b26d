"""The official calendar shipped as data: the government's notices that give weekdays off or
make weekend days working days, one YAML file a year in tracker/data/calendar/.

One reader and one writer serve both doors: tracker migration 0018 loads the shipped files
with the historical models, and `manage.py load_official_calendar PATH...` loads a new
year's file. A file is the whole official calendar of its year: loading it creates the days
it lists, updates those that changed, deletes that year's days it no longer lists (and the
notices left without a day), and leaves the rest alone, so loading it twice changes nothing.
Every file is read and checked before anything is written, all files in one transaction.

The office's own adjustments (`CalendarAdjustment`) are never touched: they win over the
official days (tracker.selectors.calendar).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import models, transaction

from config.common.dates import EARLIEST_DATE, LATEST_DATE, parse_iso_date
from tracker.models import CalendarAdjustmentKind, OfficialCalendarDay, OfficialNotice

__all__ = [
    "SHIPPED_CALENDAR_DIR",
    "CalendarFile",
    "LoadResult",
    "OfficialCalendarError",
    "official_calendar_load",
    "official_calendar_read",
    "official_calendar_write",
    "shipped_calendar_files",
]

SHIPPED_CALENDAR_DIR = Path(__file__).resolve().parent.parent / "data" / "calendar"

_FILE_KEYS = {"year", "notices"}
_NOTICE_REQUIRED = {"number", "issued_on", "issuer", "title", "verified", "days"}
_NOTICE_KEYS = _NOTICE_REQUIRED | {"url", "source", "note"}
_DAY_KEYS = {"date", "kind", "label"}
_LENGTHS = {"number": 64, "issuer": 255, "title": 500, "url": 500, "label": 255}


class _Loader(yaml.SafeLoader):
    """YAML's safe loader with dates left as text, read strictly by `parse_iso_date` (YAML's
    own reading raises on 2030-02-30 and takes 2030-1-5)."""


def _date_as_text(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    return loader.construct_scalar(node)  # type: ignore[arg-type]  # a timestamp is a scalar


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _date_as_text)


@dataclass(frozen=True)
class DayEntry:
    date: dt.date
    kind: str
    label: str


@dataclass(frozen=True)
class NoticeEntry:
    number: str
    issued_on: dt.date
    issuer: str
    title: str
    url: str
    verified: bool
    source: str
    note: str
    days: tuple[DayEntry, ...]

    def fields(self) -> dict[str, Any]:
        """The notice's columns but its number."""
        return {
            "issued_on": self.issued_on,
            "issuer": self.issuer,
            "title": self.title,
            "url": self.url,
            "verified": self.verified,
            "source": self.source,
            "note": self.note,
        }


@dataclass(frozen=True)
class CalendarFile:
    path: Path
    year: int
    notices: tuple[NoticeEntry, ...]


@dataclass
class LoadResult:
    path: Path
    year: int
    days_created: int = 0
    days_updated: int = 0
    days_deleted: int = 0
    days_unchanged: int = 0
    notices_created: int = 0
    notices_updated: int = 0
    notices_deleted: int = 0

    @property
    def changed(self) -> bool:
        return any(
            (
                self.days_created,
                self.days_updated,
                self.days_deleted,
                self.notices_created,
                self.notices_updated,
                self.notices_deleted,
            )
        )

    def __str__(self) -> str:
        return (
            f"{self.path.name} ({self.year}): days {self.days_created} created, "
            f"{self.days_updated} updated, {self.days_deleted} deleted, "
            f"{self.days_unchanged} unchanged; notices {self.notices_created} created, "
            f"{self.notices_updated} updated, {self.notices_deleted} deleted"
        )


class OfficialCalendarError(Exception):
    """A calendar file that cannot be loaded; `problems` lists every one, each naming its
    entry."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(problems))


def shipped_calendar_files() -> list[Path]:
    """The calendar files the product ships, by year."""
    return sorted(SHIPPED_CALENDAR_DIR.glob("vn-*.yaml"))


# --- reading and checking ------------------------------------------------------------------


@dataclass
class _Checker:
    problems: list[str] = field(default_factory=list)

    def add(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}" if where else message)

    def keys(
        self, where: str, value: Mapping[str, Any], allowed: set[str], required: set[str]
    ) -> None:
        for key in sorted(required - value.keys()):
            self.add(where, f"{key!r} is missing")
        for key in sorted(str(key) for key in value.keys() - allowed):
            self.add(where, f"unknown key {key!r}")

    def text(self, where: str, value: Mapping[str, Any], key: str, *, required: bool) -> str:
        raw = value.get(key, "")
        if raw is None:
            raw = ""
        if not isinstance(raw, str):
            self.add(where, f"{key!r} must be text, not {raw!r}")
            return ""
        text = " ".join(raw.split())
        if required and not text and key in value:
            self.add(where, f"{key!r} is empty")
        limit = _LENGTHS.get(key)
        if limit is not None and len(text) > limit:
            self.add(where, f"{key!r} is longer than {limit} characters")
        return text

    def date(self, where: str, value: Any, key: str) -> dt.date | None:
        raw = value.get(key)
        day = parse_iso_date(raw) if isinstance(raw, str) else None
        if day is None:
            if key in value:
                self.add(where, f"{key!r} must be a date written YYYY-MM-DD, not {raw!r}")
            return None
        if not EARLIEST_DATE <= day <= LATEST_DATE:
            self.add(where, f"{key!r} {day} is outside {EARLIEST_DATE.year}–{LATEST_DATE.year}")
            return None
        return day


def official_calendar_read(path: Path) -> CalendarFile:
    """The calendar file at `path`, checked; raises `OfficialCalendarError` listing every
    problem (a missing or unknown key, a bad date or kind, a day outside the file's year, a
    date or notice number given twice)."""
    try:
        content = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except OSError as exc:
        raise OfficialCalendarError(path, [f"cannot be read: {exc.strerror or exc}"]) from exc
    except yaml.YAMLError as exc:
        raise OfficialCalendarError(path, [f"is not valid YAML: {exc}"]) from exc
    check = _Checker()
    if not isinstance(content, dict):
        raise OfficialCalendarError(path, ["must be a mapping with 'year' and 'notices'"])
    check.keys("", content, _FILE_KEYS, _FILE_KEYS)
    year = content.get("year")
    if isinstance(year, bool) or not isinstance(year, int):
        if "year" in content:
            check.add("", f"'year' must be a year such as 2026, not {year!r}")
        year = None
    elif not EARLIEST_DATE.year <= year <= LATEST_DATE.year:
        check.add("", f"'year' {year} is outside {EARLIEST_DATE.year}–{LATEST_DATE.year}")
        year = None
    raw_notices = content.get("notices")
    if not isinstance(raw_notices, list) or not raw_notices:
        if "notices" in content:
            check.add("", "'notices' must be a list of at least one notice")
        raw_notices = []
    notices = []
    numbers: dict[str, str] = {}
    dates: dict[dt.date, str] = {}
    for index, raw in enumerate(raw_notices, start=1):
        notice = _read_notice(check, index, raw, year, dates)
        if notice is None:
            continue
        where = f"notice {index} ({notice.number})"
        if notice.number in numbers:
            check.add(where, f"the number is also {numbers[notice.number]}'s")
        numbers.setdefault(notice.number, f"notice {index}")
        notices.append(notice)
    if check.problems or year is None:
        raise OfficialCalendarError(path, check.problems)
    return CalendarFile(path=path, year=year, notices=tuple(notices))


def _read_notice(
    check: _Checker, index: int, raw: Any, year: int | None, dates: dict[dt.date, str]
) -> NoticeEntry | None:
    where = f"notice {index}"
    if not isinstance(raw, dict):
        check.add(where, "must be a mapping (number, issued_on, issuer, title, verified, days)")
        return None
    number = check.text(where, raw, "number", required=True)
    if number:
        where = f"notice {index} ({number})"
    check.keys(where, raw, _NOTICE_KEYS, _NOTICE_REQUIRED)
    issued_on = check.date(where, raw, "issued_on")
    issuer = check.text(where, raw, "issuer", required=True)
    title = check.text(where, raw, "title", required=True)
    url = check.text(where, raw, "url", required=False)
    if url and not url.startswith(("https://", "http://")):
        check.add(where, f"'url' must start with https:// or http://, not {url[:40]!r}")
    verified = raw.get("verified")
    if not isinstance(verified, bool):
        if "verified" in raw:
            check.add(where, f"'verified' must be true or false, not {verified!r}")
        verified = False
    source = check.text(where, raw, "source", required=False)
    note = check.text(where, raw, "note", required=False)
    raw_days = raw.get("days")
    if not isinstance(raw_days, list) or not raw_days:
        if "days" in raw:
            check.add(where, "'days' must be a list of at least one day")
        raw_days = []
    days = []
    for day_index, raw_day in enumerate(raw_days, start=1):
        day = _read_day(check, f"{where}, day {day_index}", raw_day, year, dates)
        if day is not None:
            days.append(day)
    if not (number and issued_on and issuer and title):
        return None
    return NoticeEntry(
        number=number,
        issued_on=issued_on,
        issuer=issuer,
        title=title,
        url=url,
        verified=verified,
        source=source,
        note=note,
        days=tuple(days),
    )


def _read_day(
    check: _Checker, where: str, raw: Any, year: int | None, dates: dict[dt.date, str]
) -> DayEntry | None:
    if not isinstance(raw, dict):
        check.add(where, "must be a mapping (date, kind, label)")
        return None
    day = check.date(where, raw, "date")
    if day is not None:
        where = f"{where} ({day.isoformat()})"
    check.keys(where, raw, _DAY_KEYS, _DAY_KEYS)
    kind = raw.get("kind")
    if kind not in CalendarAdjustmentKind.values:
        if "kind" in raw:
            check.add(where, f"'kind' must be day_off or working_day, not {kind!r}")
        kind = None
    label = check.text(where, raw, "label", required=True)
    if day is None or kind is None or not label:
        return None
    if year is not None and day.year != year:
        check.add(where, f"the date is not in the file's year {year}")
        return None
    if day in dates:
        check.add(where, f"the date is also {dates[day]}'s")
        return None
    dates[day] = where
    return DayEntry(date=day, kind=str(kind), label=label)


# --- writing -------------------------------------------------------------------------------


def official_calendar_write(
    data: CalendarFile,
    *,
    notice_model: type[models.Model] = OfficialNotice,
    day_model: type[models.Model] = OfficialCalendarDay,
) -> LoadResult:
    """Makes the official days of `data.year` those of `data` (the models are the
    migration's historical ones there, the real ones elsewhere). Call it in a transaction."""
    notices_of: Any = notice_model._default_manager
    days_of: Any = day_model._default_manager
    result = LoadResult(path=data.path, year=data.year)
    notice_ids: dict[str, int] = {}
    for entry in data.notices:
        notice = notices_of.filter(number=entry.number).first()
        wanted = entry.fields()
        if notice is None:
            notice = notices_of.create(number=entry.number, **wanted)
            result.notices_created += 1
        elif any(getattr(notice, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(notice, name, value)
            notice.save()
            result.notices_updated += 1
        notice_ids[entry.number] = notice.pk
    wanted_days = {
        day.date: (day.kind, day.label, notice_ids[entry.number])
        for entry in data.notices
        for day in entry.days
    }
    first, last = dt.date(data.year, 1, 1), dt.date(data.year, 12, 31)
    existing = {row.date: row for row in days_of.filter(date__range=(first, last))}
    for day, row in existing.items():
        if day not in wanted_days:
            row.delete()
            result.days_deleted += 1
    for day, (kind, label, notice_id) in sorted(wanted_days.items()):
        row = existing.get(day)
        if row is None:
            days_of.create(date=day, kind=kind, label=label, notice_id=notice_id)
            result.days_created += 1
        elif (row.kind, row.label, row.notice_id) != (kind, label, notice_id):
            row.kind, row.label, row.notice_id = kind, label, notice_id
            row.save()
            result.days_updated += 1
        else:
            result.days_unchanged += 1
    result.notices_deleted, _ = notices_of.filter(days__isnull=True).delete()
    return result


@transaction.atomic
def official_calendar_load(paths: Iterable[Path]) -> list[LoadResult]:
    """Loads calendar files, all or nothing: raises `OfficialCalendarError` for the first
    file that does not pass its checks (listing all its problems) before writing any, and
    refuses two files of the same year."""
    files = [official_calendar_read(Path(path)) for path in paths]
    years: dict[int, Path] = {}
    for data in files:
        if data.year in years:
            raise OfficialCalendarError(
                data.path, [f"its year {data.year} is also {years[data.year].name}'s"]
            )
        years[data.year] = data.path
    return [official_calendar_write(data) for data in files]
