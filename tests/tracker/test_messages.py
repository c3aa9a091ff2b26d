"""Message templates: every reminder step (and the digest) × channel × language renders, in
official Vietnamese and in English; every SMS fits one 160-character segment once stripped
of diacritics, with the longest realistic values and the task's link; every e-mail, SMS and
digest links the task's web page (its short route /t/<id>/), never the API; escalations
say how late the task is as of the day they are sent; plain text is never HTML-escaped.
`render` is a pure function: the office's choice of diacritics (MessageSettings) is passed
to it, as the sweep and the digest do. The texts are tracker's (MESSAGE_TEXTS); notifications
renders them."""

import datetime as dt
import importlib
import json
import unicodedata

import pytest
from django.template.loader import get_template

from directives.models import Directive
from notifications.models import Channel
from notifications.services import messages
from notifications.services.messages import SMS_SEGMENT, strip_diacritics
from tracker.models import Department, ReminderStep, Task
from tracker.services.digest import digest_context as build_digest_context
from tracker.services.reminder_messages import MESSAGE_TEXTS, task_context, task_link

DEFAULT_STEPS = importlib.import_module(
    "tracker.migrations.0005_default_reminder_policy"
).DEFAULT_STEPS
STEPS = {code: (name, kind, offset) for code, name, kind, offset, *_rest in DEFAULT_STEPS}
DEFAULT_CHANNELS = {code: channels for code, *_rest, channels in DEFAULT_STEPS}
LANGUAGES = ("vi", "en")
CHANNELS = tuple(Channel.values)  # inbox, email, sms, zalo

# Every step has a template for every channel, not only for its default ones: the office
# may add a channel to a step in the admin. The digest goes by inbox and e-mail only.
STEP_TEMPLATES = [(code, channel) for code in STEPS for channel in CHANNELS]
DIGEST_TEMPLATES = [("digest", Channel.INBOX), ("digest", Channel.EMAIL)]
ESCALATIONS = [code for code, (_name, kind, _offset) in STEPS.items() if kind == "escalation"]

SITE_URL = "https://dondoc.binhan.gov.vn"  # a realistic one: SMS make room for it
DEADLINE = dt.date(2026, 12, 31)
STEP_DAY = dt.date(2027, 1, 15)
OVERDUE_ON_STEP_DAY = 11  # working days from DEADLINE to STEP_DAY, as the caller counts them
LARGEST_PK = 9_999_999  # a province's tasks for decades: the SMS links keep room for it
LONG_NUMBER = "12345/QĐ-UBND-KTTH"
LONGEST_CODE = "SNNPTNT-BQLDA-DTXD-NN-PTNT-KTTH2"  # Department.code: 32 characters at most
LONGEST_NAME = (
    "Ban Quản lý dự án đầu tư xây dựng các công trình nông nghiệp và phát triển nông thôn"
)
# Task.title: 500 characters at most, full of diacritics.
LONGEST_TITLE = (
    "Đẩy nhanh tiến độ giải phóng mặt bằng, bồi thường, hỗ trợ và tái định cư dự án "
    "đường ven biển; rà soát, đề xuất phương án xử lý dứt điểm vướng mắc về đất đai, "
    "tài nguyên, môi trường của Sở Nông nghiệp và Phát triển nông thôn. " * 3
)[:500]
# The same, in the typography of official documents (curly quotes, dashes, ellipses).
TYPOGRAPHIC_TITLE = (
    "Triển khai “Đề án 06” – giai đoạn 2026—2030… về ứng dụng dữ liệu dân cư, "
    "định danh và xác thực điện tử phục vụ chuyển đổi số quốc gia. " * 6
)[:500]
assert len(LONGEST_TITLE) == len(TYPOGRAPHIC_TITLE) == 500
assert len(LONGEST_CODE) == 32

TRICKY_TITLE = 'Dự án "Cầu Đông" & <CSDL>'  # short enough for the SMS title width


@pytest.fixture(autouse=True)
def site_url(settings) -> None:
    settings.SITE_URL = SITE_URL + "/"


def make_task(
    *,
    pk: int = 4242,
    title: str = "Báo cáo tình hình thực hiện kế hoạch đầu tư công năm 2026",
    code: str = "SKHDT",
    name: str = "Sở Kế hoạch và Đầu tư",
    number: str = "125/TB-UBND",
    deadline: dt.date = DEADLINE,
    priority: str = "normal",
) -> Task:
    """An unsaved task: the templates only read attributes."""
    return Task(
        pk=pk,
        title=title,
        lead_department=Department(code=code, name=name),
        directive=Directive(number=number, title="Kết luận của Chủ tịch UBND tỉnh"),
        original_deadline=deadline,
        effective_deadline=deadline,
        priority=priority,
    )


def step_context(code: str, task: Task) -> dict[str, object]:
    name, kind, offset = STEPS[code]
    step = ReminderStep(code=code, name=name, kind=kind, offset_working_days=offset)
    return task_context(task, step, STEP_DAY, OVERDUE_ON_STEP_DAY)


DIGEST_DAY = dt.date(2026, 11, 24)


def digest_context(overdue: list[Task], due_soon: list[Task]) -> dict[str, object]:
    departments = [
        Department(code="SKHDT", name="Sở Kế hoạch và Đầu tư"),
        Department(code="STC", name="Sở Tài chính"),
    ]
    return build_digest_context(departments, overdue + due_soon, DIGEST_DAY)


def digest_tasks(title: str = "Báo cáo tình hình thu ngân sách") -> tuple[list[Task], list[Task]]:
    overdue = [
        make_task(
            pk=1,
            title="Rà soát quy hoạch sử dụng đất",
            number="88/TB-UBND",
            deadline=dt.date(2026, 11, 20),
        ),
        make_task(pk=2, title=title, number="12/CT-UBND", deadline=dt.date(2026, 11, 23)),
    ]
    due_soon = [
        make_task(
            pk=3,
            title="Xây dựng đề án chuyển đổi số",
            number="45/KH-UBND",
            deadline=dt.date(2026, 11, 24),
        ),
        make_task(
            pk=4,
            title="Tổng kết công tác cải cách hành chính",
            number=LONG_NUMBER,
            deadline=dt.date(2026, 11, 30),
        ),
    ]
    return overdue, due_soon


def rendered(code: str, channel: str, language: str, task: Task) -> tuple[str, str]:
    """The message as the office's default choice renders it: SMS without diacritics."""
    if code == "digest":
        overdue, due_soon = digest_tasks(task.title)
        context = digest_context(overdue, due_soon)
    else:
        context = step_context(code, task)
    subject, body = render(code, channel, language, context, sms_with_diacritics=False)
    if channel == Channel.ZALO:
        # A Zalo message is its ZNS template's parameters (JSON): their values are its text.
        body = " ".join(json.loads(body).values())
    return subject, body


def render(code: str, channel: str, language: str, context: dict, **options: bool) -> tuple:
    """notifications' render of tracker's texts."""
    return messages.render(code, channel, language, context, texts=MESSAGE_TEXTS, **options)


def test_every_default_step_and_channel_has_templates() -> None:
    for code, channels in DEFAULT_CHANNELS.items():
        for channel in channels:
            assert (code, channel) in STEP_TEMPLATES


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("code", "channel"), STEP_TEMPLATES + DIGEST_TEMPLATES)
def test_template_exists_and_renders(code: str, channel: str, language: str) -> None:
    base = messages.template_base(MESSAGE_TEXTS, code, channel, language)
    get_template(f"{base}.txt")
    if channel == Channel.EMAIL:
        get_template(f"{base}.subject.txt")

    subject, body = rendered(code, channel, language, make_task())

    assert body.strip()
    assert "{{" not in body and "{%" not in body
    if channel == Channel.EMAIL:
        assert subject.strip()
    else:
        assert subject == ""


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("code", "channel"), STEP_TEMPLATES)
def test_step_messages_name_the_task(code: str, channel: str, language: str) -> None:
    task = make_task(title="Rà soát quy hoạch", code="SKHDT", number="125/TB-UBND")
    _subject, body = rendered(code, channel, language, task)
    if channel == Channel.SMS:
        assert "Ra soat quy hoach" in body
        # the directive's number and the lead's code, not its long name
        assert "(VB 125/TB-UBND, SKHDT)" in body or "(Doc 125/TB-UBND, SKHDT)" in body
        assert "Sở Kế hoạch" not in body and "So Ke hoach" not in body
    else:
        assert "Rà soát quy hoạch" in body
        assert "125/TB-UBND" in body
        assert "Sở Kế hoạch và Đầu tư" in body
    assert "31/12/2026" in body


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("channel", [Channel.INBOX, Channel.EMAIL])
@pytest.mark.parametrize("code", [*ESCALATIONS, "repeat"])
def test_escalations_say_how_late(code: str, channel: str, language: str) -> None:
    _subject, body = rendered(code, channel, language, make_task())
    assert "31/12/2026" in body  # the deadline it is late against
    # As of the day it is sent, and how late then (not the step's offset: see
    # test_reminder_sweep_changes)
    if language == "vi":
        assert "tính đến ngày 15/01/2027" in body
        assert f"đã quá hạn {OVERDUE_ON_STEP_DAY} ngày làm việc" in body
    else:
        assert "as of 15/01/2027" in body
        assert f"overdue by {OVERDUE_ON_STEP_DAY} working day(s)" in body


@pytest.mark.parametrize("number", [LONG_NUMBER, "9" * 64])  # 64: Directive.number's max
@pytest.mark.parametrize("title", [LONGEST_TITLE, TYPOGRAPHIC_TITLE], ids=["plain", "typographic"])
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("code", list(STEPS))
def test_sms_fits_one_segment_without_diacritics(
    code: str, language: str, title: str, number: str
) -> None:
    task = make_task(
        pk=LARGEST_PK,
        title=title,
        code=LONGEST_CODE,
        name=LONGEST_NAME,
        number=number,
        priority="urgent",
    )

    _subject, body = render(
        code, Channel.SMS, language, step_context(code, task), sms_with_diacritics=False
    )

    assert len(body) <= SMS_SEGMENT, (len(body), body)
    assert body.endswith(f" {SITE_URL}/t/{LARGEST_PK}/"), body  # whole, at the end
    assert body.isascii(), body  # GSM-7 text: one segment holds 160 characters
    assert "\n" not in body
    assert "31/12/2026" in body
    assert strip_diacritics(title[:20]).replace("“", '"').replace("–", "-") in body
    if number == LONG_NUMBER:
        assert "12345/QD-UBND-KTTH" in body


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("code", list(STEPS))
def test_sms_keeps_diacritics_when_the_office_chooses(code: str, language: str) -> None:
    # With diacritics an SMS is sent as UCS-2: 70 characters a segment, so these texts may
    # take several segments; no length limit is asserted here.
    task = make_task(title=LONGEST_TITLE, code=LONGEST_CODE, number=LONG_NUMBER)

    _subject, body = render(
        code, Channel.SMS, language, step_context(code, task), sms_with_diacritics=True
    )

    assert "Đẩy nhanh tiến độ" in body
    assert LONG_NUMBER in body
    if language == "vi":
        assert "UBND tỉnh" in body and "ạ" in body  # "hạn"
    assert not body.isascii()


def test_task_link_is_the_short_route_of_the_web_page_under_site_url() -> None:
    # SITE_URL ends with "/" here (the fixture): the link has no double slash.
    assert task_link(42) == f"{SITE_URL}/t/42/"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("code", "channel"), STEP_TEMPLATES + DIGEST_TEMPLATES)
def test_every_link_opens_the_web_page_never_the_api(
    code: str, channel: str, language: str
) -> None:
    task = make_task(pk=321)

    subject, body = rendered(code, channel, language, task)

    assert "/api/" not in subject + body
    if channel == Channel.INBOX and code != "digest":
        return  # the inbox page links the message's task itself
    links = [word for word in body.split() if word.startswith("http")]
    assert links, body
    expected = (
        {f"{SITE_URL}/t/{n}/" for n in (1, 2, 3, 4)} if code == "digest" else {task_link(321)}
    )
    assert set(links) == expected


VIETNAMESE_LETTERS = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"
PLAIN_LETTERS = "a" * 18 + "e" * 12 + "i" * 6 + "o" * 18 + "u" * 12 + "y" * 6 + "d"


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_strip_diacritics_on_the_whole_vietnamese_alphabet(form: str) -> None:
    lower = unicodedata.normalize(form, VIETNAMESE_LETTERS)
    upper = unicodedata.normalize(form, VIETNAMESE_LETTERS.upper())

    assert strip_diacritics(lower) == PLAIN_LETTERS
    assert strip_diacritics(upper) == PLAIN_LETTERS.upper()
    assert strip_diacritics("Đ") == "D"
    assert strip_diacritics("Ủy ban nhân dân tỉnh Đắk Lắk") == "Uy ban nhan dan tinh Dak Lak"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("code", list(STEPS))
def test_emails_link_to_the_task(code: str, language: str) -> None:
    task = make_task(pk=987, number=LONG_NUMBER, title=LONGEST_TITLE, priority="urgent")

    subject, body = rendered(code, Channel.EMAIL, language, task)

    assert f"{SITE_URL}/t/987/" in body
    assert "/api/" not in body
    assert LONG_NUMBER in body
    assert LONG_NUMBER in subject
    assert "\n" not in subject and "\r" not in subject
    assert len(subject) <= 255
    assert ("[Khẩn]" if language == "vi" else "[Urgent]") in subject


@pytest.mark.parametrize("language", LANGUAGES)
def test_digest_lists_overdue_and_due_soon_tasks(language: str) -> None:
    overdue, due_soon = digest_tasks()
    context = digest_context(overdue, due_soon)

    subject, email = render("digest", Channel.EMAIL, language, context, sms_with_diacritics=False)
    _none, inbox = render("digest", Channel.INBOX, language, context, sms_with_diacritics=False)

    if language == "vi":
        assert subject.startswith("[Đôn đốc] Bản tin nhiệm vụ ngày 24/11/2026")
        assert "2 nhiệm vụ quá hạn, 2 nhiệm vụ đến hạn" in inbox
    else:
        assert subject.startswith("[Đôn đốc] Task digest for 24/11/2026")
        assert "2 overdue task(s), 2 task(s) due" in inbox
    assert "\n" not in subject
    for body in (inbox, email):
        assert "Sở Kế hoạch và Đầu tư" in body and "Sở Tài chính" in body
        positions = [body.index(t.title) for t in overdue + due_soon]
        assert positions == sorted(positions)  # overdue first, then due soon
        for task in overdue + due_soon:
            assert task.directive.number in body
            assert task.effective_deadline.strftime("%d/%m/%Y") in body
    for body in (inbox, email):
        assert "/api/" not in body
        for task in overdue + due_soon:
            assert f"{SITE_URL}/t/{task.pk}/" in body


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("code", "channel"), STEP_TEMPLATES + DIGEST_TEMPLATES)
def test_plain_text_is_not_html_escaped(code: str, channel: str, language: str) -> None:
    task = make_task(title=TRICKY_TITLE, name="Sở Giao thông Vận tải", number="7/QĐ-UBND")

    subject, body = rendered(code, channel, language, task)

    expected = strip_diacritics(TRICKY_TITLE) if channel == Channel.SMS else TRICKY_TITLE
    assert expected in body
    if channel == Channel.EMAIL and code != "digest":
        assert TRICKY_TITLE in subject
    for text in (subject, body):
        for entity in ("&amp;", "&quot;", "&#x27;", "&#39;", "&lt;", "&gt;"):
            assert entity not in text
    if channel != Channel.SMS:
        assert "Đ" in body  # Vietnamese characters come out as they are


# A Zalo message's wording is its ZNS template on Zalo, one per language (the office's
# ZaloTemplate rows): its parameters are the task's own data in both languages.
@pytest.mark.parametrize(
    ("code", "channel"),
    [(code, channel) for code, channel in STEP_TEMPLATES if channel != Channel.ZALO]
    + DIGEST_TEMPLATES,
)
def test_vietnamese_and_english_texts_differ(code: str, channel: str) -> None:
    task = make_task()
    vi_subject, vi_body = rendered(code, channel, "vi", task)
    en_subject, en_body = rendered(code, channel, "en", task)

    assert vi_body != en_body
    if channel == Channel.EMAIL:
        assert vi_subject != en_subject
