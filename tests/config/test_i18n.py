"""Translations: the catalogs under config/locale are complete and compiled, and the API
answers in the language the client asks for (Vietnamese by default).

The .po files are read with a small parser of our own (no polib); the committed .mo files
are read with Python's `gettext`, so a catalog edited but not recompiled fails here."""

import ast
import gettext
import re
import struct
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from rest_framework.test import APIClient

from directives.models import DirectiveKind
from tracker.models import DepartmentKind, Priority, Role, TaskStatus
from tracker.services.tokens import token_issue

LOCALE_DIR = Path(settings.BASE_DIR) / "config" / "locale"
THIRD_PARTY_MARK = "Third-party override"


@dataclass
class Entry:
    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    comments: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def label(self) -> str:
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt else self.msgid


def parse_po(path: Path) -> tuple[Entry, list[Entry]]:
    """The header and the live (non-obsolete) entries of a .po file."""
    entries: list[Entry] = []
    current: Entry | None = None
    comments: list[str] = []
    flags: set[str] = set()
    target: tuple[str, int | None] | None = None
    seen_msgstr = False

    def start() -> Entry:
        nonlocal comments, flags, seen_msgstr
        entry = Entry(msgid="", flags=flags, comments=comments)
        entries.append(entry)
        comments, flags, seen_msgstr = [], set(), False
        return entry

    def append(name: str, index: int | None, text: str) -> None:
        assert current is not None
        if name == "msgstr":
            current.msgstr[index or 0] = current.msgstr.get(index or 0, "") + text
        else:
            setattr(current, name, (getattr(current, name) or "") + text)

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):  # blank, or an obsolete entry
            target = None
            continue
        if line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
        elif line.startswith("# ") or line == "#" or line.startswith("#. "):
            comments.append(line[3:] if line.startswith("#.") else line[2:])  # translator's, or
            # extracted from the code ("Translators:" comments)
        elif line.startswith("#"):
            continue  # references (#:), previous msgids (#|)
        elif line.startswith('"'):
            assert target is not None, f"{path}:{number}: continuation outside an entry"
            append(target[0], target[1], ast.literal_eval(line))
        else:
            keyword, _space, value = line.partition(" ")
            match = re.fullmatch(r"(msgctxt|msgid|msgid_plural|msgstr)(?:\[(\d+)\])?", keyword)
            assert match, f"{path}:{number}: unexpected line {raw!r}"
            name, index = match[1], int(match[2]) if match[2] is not None else None
            if name == "msgctxt" or (name == "msgid" and (current is None or seen_msgstr)):
                current = start()
            if name == "msgstr":
                seen_msgstr = True
            target = (name, index)
            if name == "msgstr":
                current.msgstr.setdefault(index or 0, "")
            append(name, index, ast.literal_eval(value))
    assert entries and entries[0].msgid == "", f"{path}: no header entry"
    return entries[0], entries[1:]


def read_mo(path: Path) -> dict[str, str]:
    """Every original → translation pair of a .mo file (header included, key "")."""
    data = path.read_bytes()
    magic = struct.unpack("<I", data[:4])[0]
    order = "<" if magic == 0x950412DE else ">"
    _revision, count, originals, translations = struct.unpack(order + "4I", data[4:20])

    def string(table: int, i: int) -> str:
        length, offset = struct.unpack(order + "2I", data[table + 8 * i : table + 8 * i + 8])
        return data[offset : offset + length].decode("utf-8")

    pairs = {string(originals, i): string(translations, i) for i in range(count)}
    return pairs


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def mo_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.mo"


PERCENT = re.compile(r"%(?:\([^)]+\))?[#0 +-]*\d*(?:\.\d+)?[sdfirxXeEgGc%]")
BRACE = re.compile(r"\{[^{}]*\}")


def placeholders(entry: Entry, text: str) -> Counter:
    found: Counter = Counter()
    if "python-format" in entry.flags or "%(" in entry.msgid:
        found.update(m for m in PERCENT.findall(text) if m != "%%")
    if "python-brace-format" in entry.flags or BRACE.search(entry.msgid):
        found.update(BRACE.findall(text))
    return found


VI_HEADER, VI_ENTRIES = parse_po(po_path("vi"))


# --- (a) the Vietnamese catalog is complete ---


def test_both_languages_have_a_catalog_and_a_compiled_file():
    assert [code for code, _name in settings.LANGUAGES] == ["vi", "en"]
    assert settings.LANGUAGE_CODE == "vi"
    for language in ("vi", "en"):
        assert po_path(language).is_file()
        assert mo_path(language).is_file()
        header, _entries = parse_po(po_path(language))
        assert "fuzzy" not in header.flags
        assert f"Language: {language}\n" in header.msgstr[0]
        assert "charset=UTF-8" in header.msgstr[0]


def test_the_vietnamese_catalog_is_not_empty():
    assert len(VI_ENTRIES) > 50


@pytest.mark.parametrize("entry", VI_ENTRIES, ids=lambda e: e.label[:60])
def test_every_vietnamese_msgid_has_a_translation(entry):
    assert "fuzzy" not in entry.flags
    assert entry.msgstr, "no msgstr"
    for index, text in entry.msgstr.items():
        assert text.strip(), f"msgstr[{index}] is empty"
        assert text == text.strip(), f"msgstr[{index}] has stray whitespace"
        assert unicodedata.is_normalized("NFC", text), f"msgstr[{index}] is not NFC"
        expected = placeholders(entry, entry.msgid_plural if index else entry.msgid)
        assert placeholders(entry, text) == expected, f"msgstr[{index}] placeholders differ"


def test_no_hand_kept_override_is_left_obsolete():
    """The DRF overrides stay live entries (config/i18n.py keeps them in the catalog)."""
    blocks = po_path("vi").read_text(encoding="utf-8").split("\n\n")
    obsolete = [block for block in blocks if THIRD_PARTY_MARK in block and "\n#~ msgid " in block]
    assert obsolete == [], "restore them as config/locale/README.md says"


def overrides_listed() -> list[str]:
    """The msgids config/i18n.py lists (each call's first argument)."""
    tree = ast.parse((Path(settings.BASE_DIR) / "config" / "i18n.py").read_text(encoding="utf-8"))
    return [
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", "") in ("gettext_noop", "ngettext_lazy")
    ]


def test_every_listed_override_is_translated_marked_and_wins():
    """Each third-party message config/i18n.py lists (DRF's, Django's admin, django-celery-beat,
    DRF's token admin) is a live, translated entry of our catalog, marked as an override, and
    is what a Vietnamese page shows."""
    listed = overrides_listed()
    assert len(listed) > 100
    entries = {entry.msgid: entry for entry in VI_ENTRIES if entry.msgctxt is None}
    for msgid in listed:
        entry = entries.get(msgid)
        assert entry is not None, f"{msgid!r} is not in the catalog: run makemessages"
        assert any(THIRD_PARTY_MARK in comment for comment in entry.comments), msgid
        assert all(entry.msgstr.values()), msgid
        with translation.override("vi"):
            if entry.msgid_plural is None:
                assert translation.gettext(msgid) == entry.msgstr[0], msgid
            else:
                assert translation.ngettext(msgid, entry.msgid_plural, 5) == entry.msgstr[0]


def test_no_msgid_is_listed_twice():
    keys = Counter(entry.key for entry in VI_ENTRIES)
    assert [key for key, count in keys.items() if count > 1] == []


def test_the_english_catalog_lists_the_same_messages():
    """Both catalogs come from one makemessages run (the third-party overrides are listed
    in config/i18n.py, so they are in both)."""
    _header, en_entries = parse_po(po_path("en"))
    assert {e.key for e in en_entries} == {e.key for e in VI_ENTRIES}


# --- (b) the compiled .mo files are in sync with the .po files ---


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_compiled_catalog_matches_the_po_file(language):
    _header, entries = parse_po(po_path(language))
    with mo_path(language).open("rb") as fp:
        catalog = gettext.GNUTranslations(fp)
    expected: dict[str, str] = {}
    for entry in entries:
        if "fuzzy" in entry.flags or not all(entry.msgstr.values()):
            continue  # msgfmt leaves these out; English msgstrs are empty on purpose
        prefix = f"{entry.msgctxt}\x04" if entry.msgctxt is not None else ""
        if entry.msgid_plural is None:
            expected[prefix + entry.msgid] = entry.msgstr[0]
            if entry.msgctxt is None:
                assert catalog.gettext(entry.msgid) == entry.msgstr[0], entry.msgid
            else:
                assert catalog.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr[0]
        else:
            forms = [entry.msgstr[i] for i in sorted(entry.msgstr)]
            expected[prefix + entry.msgid + "\x00" + entry.msgid_plural] = "\x00".join(forms)
            for n in range(200):
                index = catalog.plural(n)
                assert catalog.ngettext(entry.msgid, entry.msgid_plural, n) == forms[index]
    # Nothing more either: a message dropped from the .po is gone from the .mo too.
    compiled = read_mo(mo_path(language))
    compiled.pop("")
    assert compiled == expected


# --- (c) the API answers in the client's language ---

UNKNOWN_DEPARTMENT = "Unknown department “%(value)s”."


def vietnamese(msgid: str) -> str:
    return next(e.msgstr[0] for e in VI_ENTRIES if e.msgid == msgid and e.msgctxt is None)


def signed_in_client(user, accept_language: str | None) -> APIClient:
    headers = {} if accept_language is None else {"HTTP_ACCEPT_LANGUAGE": accept_language}
    client = APIClient(**headers)
    _instance, token = token_issue(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept_language", "language"),
    [
        ("en", "en"),
        ("en-US,en;q=0.9", "en"),
        ("vi", "vi"),
        ("vi-VN,vi;q=0.9,en;q=0.8", "vi"),
        ("fr", "vi"),  # not offered: the default
        (None, "vi"),  # no header at all: the default
    ],
)
def test_a_project_message_comes_in_the_requested_language(office_user, accept_language, language):
    response = signed_in_client(office_user, accept_language).get(
        "/api/v1/tasks/", {"lead_department": "XXX"}
    )
    assert response.status_code == 400, response.content
    template = UNKNOWN_DEPARTMENT if language == "en" else vietnamese(UNKNOWN_DEPARTMENT)
    assert response.json() == {"lead_department": [template % {"value": "XXX"}]}
    assert response["Content-Language"] == language


@pytest.mark.django_db
def test_the_api_fixture_passes_the_language(api, office_user):
    english = api(office_user, language="en").get("/api/v1/tasks/", {"lead_department": "XXX"})
    assert english.json() == {"lead_department": ["Unknown department “XXX”."]}
    local = api(office_user, language="vi").get("/api/v1/tasks/", {"lead_department": "XXX"})
    message = local.json()["lead_department"][0]
    assert message == vietnamese(UNKNOWN_DEPARTMENT) % {"value": "XXX"}
    assert message != "Unknown department “XXX”."


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept_language", "detail"),
    [
        ("en", "Authentication credentials were not provided."),
        ("vi", "Chưa cung cấp thông tin xác thực."),
    ],
)
def test_a_framework_message_comes_in_the_requested_language(accept_language, detail):
    response = APIClient(HTTP_ACCEPT_LANGUAGE=accept_language).get("/api/v1/tasks/")
    assert response.status_code == 401
    assert response.json() == {"detail": detail}


# Messages of Django REST framework the API returns most. DRF's own vi catalog lacks some;
# our catalog adds those by hand, and `makemessages` marks them obsolete (they are not in
# our code), so this guards against losing them (see config/locale/README.md).
FRAMEWORK_MESSAGES = [
    "This field is required.",
    "This field may not be blank.",
    "This field may not be null.",
    "Date has wrong format. Use one of these formats instead: {format}.",
    "Invalid token.",
    "Authentication credentials were not provided.",
    "You do not have permission to perform this action.",
    "Not found.",
    "Invalid page.",
    '"{input}" is not a valid choice.',
    "A valid integer is required.",
    "Unable to log in with provided credentials.",
    "Ensure this field has no more than {max_length} characters.",
    'Invalid pk "{pk_value}" - object does not exist.',
]


@pytest.mark.parametrize("msgid", FRAMEWORK_MESSAGES)
def test_framework_messages_are_translated(msgid):
    with translation.override("vi"):
        text = translation.gettext(msgid)
    assert text != msgid
    assert text == text.strip()
    assert BRACE.findall(text) == BRACE.findall(msgid)


# --- (d) the choice labels users see are translated ---

CHOICES = [TaskStatus, Priority, DirectiveKind, DepartmentKind, Role]


@pytest.mark.parametrize("choices", CHOICES, ids=lambda c: c.__name__)
def test_choice_labels_are_translated(choices):
    for member in choices:
        with translation.override("en"):
            english = str(member.label)
        with translation.override("vi"):
            local = str(member.label)
        assert local != english, f"{choices.__name__}.{member.name} is not translated"
        assert local.strip()
        assert unicodedata.is_normalized("NFC", local)


def test_choice_labels_follow_the_domain_words():
    """DOMAIN.md fixes these words."""
    with translation.override("vi"):
        assert [str(label) for label in TaskStatus.labels] == [
            "Đã giao",
            "Đang thực hiện",
            "Chờ xác nhận hoàn thành",
            "Hoàn thành",
            "Tạm dừng",
            "Hủy",
        ]
        assert [str(label) for label in Priority.labels] == ["Thường", "Khẩn"]
        assert [str(label) for label in DirectiveKind.labels] == [
            "Thông báo kết luận",
            "Chỉ thị",
            "Công văn",
            "Quyết định",
            "Kế hoạch",
            "Ý kiến chỉ đạo",
        ]
        assert [str(label) for label in DepartmentKind.labels] == [
            "Sở, ban, ngành",
            "UBND xã, phường, đặc khu",
            "UBND huyện (trước đây)",
            "Khác",
        ]
        assert [str(label) for label in Role.labels] == [
            "Văn phòng UBND tỉnh",
            "Lãnh đạo UBND tỉnh",
            "Thủ trưởng cơ quan, đơn vị",
            "Chuyên viên cơ quan, đơn vị",
            "Chấm điểm (Sở Nội vụ)",
            "Tài khoản tích hợp",
        ]
