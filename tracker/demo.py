"""Demo data: a fictional province (tỉnh Bình An) with real-style departments, accounts for
every role, directives of every kind and tasks in every state, all dated relative to `today`.

`load_demo(today)` creates everything in one transaction through the project's services,
moving every task to its state through the lifecycle actions (tracker.services.lifecycle),
so its reports and history are complete. It
runs once: when the office's demo account already exists it changes nothing. The data is
deterministic given `today` (no randomness).

The province, its people, phone numbers and document numbers are made up; e-mail addresses
use the reserved example.vn domain. The departments follow the organisation of a province
after the 2025 reorganisation (merged sở, two-tier local government with xã, phường and đặc
khu; the former districts are kept only as inactive legacy units).

Task history entries are timestamped at load time (the services stamp them with the current
time); the dates that matter for follow-up and scoring (assigned, deadline, completed) are
spread over the last six months. Extension requests are asked and decided on `today` (the
lifecycle's clock reads it while the demo loads): one pending, one approved, one rejected,
and one closed by the pause of its task.
"""

from __future__ import annotations

import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Literal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from directives.imports import ImportRejected, import_tasks
from directives.models import Directive, DirectiveKind
from directives.services import directive_create
from tracker.models import (
    Department,
    DepartmentKind,
    ExtensionRequest,
    Priority,
    Role,
    Task,
    TaskStatus,
    User,
)
from tracker.selectors.calendar import WorkingCalendar
from tracker.services import lifecycle
from tracker.services.departments import department_create, department_update
from tracker.services.users import user_create

S = TaskStatus

PROVINCE_NAME = "Bình An"
DEMO_PASSWORD = "DonDoc@2026"
# The account whose existence means "the demo data is already loaded".
MARKER_USERNAME = "chuyenvien"
EMAIL_DOMAIN = "example.vn"
# The task import's sample file, imported (through the import) after the demo's own
# directives. Its dates are fixed, none after SAMPLE_TASKS_AS_OF: it is imported when `today`
# is that day or later, so that nothing in the demo lies in the future.
SAMPLE_TASKS = Path(__file__).resolve().parent.parent / "directives" / "samples" / "tasks.csv"
SAMPLE_TASKS_AS_OF = date(2026, 8, 31)


class DemoConflictError(Exception):
    """The database already holds objects that clash with the demo data."""


# --- Plain data -------------------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentSeed:
    code: str
    name: str
    kind: DepartmentKind
    # Username of the head (thủ trưởng) and of the supervising leader.
    head: str | None
    supervising_leader: str | None
    active: bool = True


@dataclass(frozen=True)
class UserSeed:
    username: str
    full_name: str
    role: Role
    position: str  # chức vụ, shown in the accounts table only
    department: str | None = None  # department code
    language: str = "vi"
    superuser: bool = False


# (target state, reason) — one lifecycle action.
Step = tuple[TaskStatus, str]
# ("today", n): n working days from today (negative: in the past);
# ("assigned", n): n working days from the assigned date (the task's deadline_working_days).
DeadlineSpec = tuple[Literal["today", "assigned"], int] | None


@dataclass(frozen=True)
class ExtensionSeed:
    """An extension request the lead department makes after the task's first step, and what
    became of it: approved by the task's supervising leader, rejected by its follow-up
    officer, left pending, or closed by the pause that follows (the lifecycle rejects it)."""

    working_days: int  # asked for, beyond the current deadline
    reason: str
    outcome: Literal["pending", "approved", "rejected", "closed"]
    note: str = ""


@dataclass(frozen=True)
class TaskSeed:
    title: str
    content: str
    lead: str
    coordinating: tuple[str, ...] = ()
    # Working days after the directive's issue date.
    assigned: int = 0
    deadline: DeadlineSpec = None
    urgent: bool = False
    steps: tuple[Step, ...] = ()
    # Completed tasks: completed_on in working days from the deadline (negative: early;
    # 0: on the deadline; positive: late), or from the assigned date when there is none.
    done: int | None = None
    extension: ExtensionSeed | None = None


@dataclass(frozen=True)
class DirectiveSeed:
    number: str
    kind: DirectiveKind
    title: str
    summary: str
    # Issued this many working days before today.
    age: int
    signer: str  # username of the signing leader
    follow_up_officer: str
    tasks: tuple[TaskSeed, ...] = field(default_factory=tuple)


# The usual ways a task went.
START: Step = (S.IN_PROGRESS, "Đã tiếp nhận nhiệm vụ, phân công lãnh đạo và chuyên viên thực hiện.")
REPORT: Step = (
    S.AWAITING_ACCEPTANCE,
    "Báo cáo hoàn thành nhiệm vụ, gửi kèm văn bản và hồ sơ minh chứng.",
)
ACCEPT: Step = (S.COMPLETED, "Văn phòng UBND tỉnh xác nhận kết quả, nhiệm vụ hoàn thành.")
IN_PROGRESS: tuple[Step, ...] = (START,)
AWAITING: tuple[Step, ...] = (START, REPORT)
COMPLETED: tuple[Step, ...] = (START, REPORT, ACCEPT)

LEADERS = ("chutich", "pct1", "pct2")
OFFICE_DIRECTOR = "chanhvanphong"

USERS: tuple[UserSeed, ...] = (
    UserSeed("admin", "Quản trị viên", Role.OFFICE, "Quản trị hệ thống", superuser=True),
    # The chairman's office (Văn phòng UBND tỉnh).
    UserSeed("chanhvanphong", "Trần Quốc Hưng", Role.OFFICE, "Chánh Văn phòng UBND tỉnh", "VP"),
    UserSeed("chuyenvien", "Nguyễn Thị Thu Hà", Role.OFFICE, "Chuyên viên theo dõi", "VP"),
    UserSeed(
        "chuyenvien2", "Đỗ Minh Tuấn", Role.OFFICE, "Chuyên viên theo dõi", "VP", language="en"
    ),
    # Provincial leaders.
    UserSeed("chutich", "Hoàng Minh Đức", Role.LEADER, "Chủ tịch UBND tỉnh"),
    UserSeed("pct1", "Lê Thị Mai Anh", Role.LEADER, "Phó Chủ tịch UBND tỉnh (khối kinh tế)"),
    UserSeed("pct2", "Vũ Đức Thắng", Role.LEADER, "Phó Chủ tịch UBND tỉnh (khối văn hóa - xã hội)"),
    # Scoring (Sở Nội vụ).
    UserSeed("chamdiem", "Phan Thị Ngọc Lan", Role.SCORING, "Chuyên viên Sở Nội vụ", "SNV"),
    # Heads of departments (thủ trưởng).
    UserSeed("snv_thutruong", "Đặng Văn Hải", Role.DEPARTMENT_HEAD, "Giám đốc Sở", "SNV"),
    UserSeed("stc_thutruong", "Bùi Thị Hồng Nhung", Role.DEPARTMENT_HEAD, "Giám đốc Sở", "STC"),
    UserSeed("stp_thutruong", "Ngô Quang Vinh", Role.DEPARTMENT_HEAD, "Giám đốc Sở", "STP"),
    UserSeed("sct_thutruong", "Trịnh Văn Lộc", Role.DEPARTMENT_HEAD, "Giám đốc Sở", "SCT"),
    UserSeed("snnmt_thutruong", "Lý Văn Thành", Role.DEPARTMENT_HEAD, "Giám đốc Sở", "SNNMT"),
    UserSeed("sxd_thutruong", "Phạm Quốc Khánh", Role.DEPARTMENT_HEAD, "Giám đốc Sở", "SXD"),
    UserSeed("syt_thutruong", "Nguyễn Thị Bích Ngọc", Role.DEPARTMENT_HEAD, "Giám đốc Sở", "SYT"),
    UserSeed("sgddt_thutruong", "Lương Văn Bình", Role.DEPARTMENT_HEAD, "Giám đốc Sở", "SGDDT"),
    UserSeed("skhcn_thutruong", "Tạ Minh Quân", Role.DEPARTMENT_HEAD, "Giám đốc Sở", "SKHCN"),
    UserSeed(
        "svhttdl_thutruong", "Hà Thị Thanh Hương", Role.DEPARTMENT_HEAD, "Giám đốc Sở", "SVHTTDL"
    ),
    UserSeed("sdttg_thutruong", "Lò Văn Sơn", Role.DEPARTMENT_HEAD, "Giám đốc Sở", "SDTTG"),
    UserSeed("sngv_thutruong", "Kiều Thị Phương Thảo", Role.DEPARTMENT_HEAD, "Giám đốc Sở", "SNGV"),
    UserSeed("ttt_thutruong", "Mai Xuân Trường", Role.DEPARTMENT_HEAD, "Chánh Thanh tra", "TTT"),
    UserSeed("bqlkcn_thutruong", "Cao Văn Nghĩa", Role.DEPARTMENT_HEAD, "Trưởng ban", "BQLKCN"),
    UserSeed("cat_thutruong", "Dương Văn Toàn", Role.DEPARTMENT_HEAD, "Giám đốc Công an", "CAT"),
    UserSeed("bchqs_thutruong", "Tống Văn Quyết", Role.DEPARTMENT_HEAD, "Chỉ huy trưởng", "BCHQS"),
    UserSeed(
        "thue_thutruong", "Châu Thị Kim Oanh", Role.DEPARTMENT_HEAD, "Trưởng Thuế tỉnh", "THUE"
    ),
    UserSeed("bptth_thutruong", "Lưu Thành Công", Role.DEPARTMENT_HEAD, "Tổng Biên tập", "BPTTH"),
    UserSeed("bqlda_thutruong", "Quách Văn Tiến", Role.DEPARTMENT_HEAD, "Giám đốc Ban", "BQLDA"),
    UserSeed(
        "phoabinh_thutruong", "Võ Thanh Tùng", Role.DEPARTMENT_HEAD, "Chủ tịch UBND", "PHOABINH"
    ),
    UserSeed(
        "pdongthanh_thutruong", "Đinh Thị Hoa", Role.DEPARTMENT_HEAD, "Chủ tịch UBND", "PDONGTHANH"
    ),
    UserSeed(
        "pnamson_thutruong", "Trương Công Danh", Role.DEPARTMENT_HEAD, "Chủ tịch UBND", "PNAMSON"
    ),
    UserSeed("xtanlap_thutruong", "Hồ Văn Mạnh", Role.DEPARTMENT_HEAD, "Chủ tịch UBND", "XTANLAP"),
    UserSeed("xphumy_thutruong", "Lâm Thị Yến", Role.DEPARTMENT_HEAD, "Chủ tịch UBND", "XPHUMY"),
    UserSeed(
        "xquangphu_thutruong", "Mạc Văn Dũng", Role.DEPARTMENT_HEAD, "Chủ tịch UBND", "XQUANGPHU"
    ),
    UserSeed(
        "xsonthuy_thutruong", "Giang Văn Phúc", Role.DEPARTMENT_HEAD, "Chủ tịch UBND", "XSONTHUY"
    ),
    UserSeed(
        "xyenhoa_thutruong", "Triệu Thị Lan", Role.DEPARTMENT_HEAD, "Chủ tịch UBND", "XYENHOA"
    ),
    UserSeed(
        "xbinhminh_thutruong", "Khổng Văn Hòa", Role.DEPARTMENT_HEAD, "Chủ tịch UBND", "XBINHMINH"
    ),
    UserSeed(
        "dkhonngoc_thutruong", "Âu Minh Nhật", Role.DEPARTMENT_HEAD, "Chủ tịch UBND", "DKHONNGOC"
    ),
    # Officers of some departments (chuyên viên).
    UserSeed("syt_chuyenvien", "Trần Thị Mỹ Linh", Role.DEPARTMENT_OFFICER, "Chuyên viên", "SYT"),
    UserSeed("stc_chuyenvien", "Nguyễn Văn Phát", Role.DEPARTMENT_OFFICER, "Chuyên viên", "STC"),
    UserSeed(
        "sxd_chuyenvien",
        "Lê Hoàng Nam",
        Role.DEPARTMENT_OFFICER,
        "Chuyên viên",
        "SXD",
        language="en",
    ),
    UserSeed(
        "sgddt_chuyenvien", "Phạm Thị Thu Trang", Role.DEPARTMENT_OFFICER, "Chuyên viên", "SGDDT"
    ),
    UserSeed("snnmt_chuyenvien", "Hoàng Văn Long", Role.DEPARTMENT_OFFICER, "Chuyên viên", "SNNMT"),
    UserSeed(
        "phoabinh_chuyenvien",
        "Vương Thị Diệu",
        Role.DEPARTMENT_OFFICER,
        "Công chức Văn phòng HĐND và UBND",
        "PHOABINH",
    ),
    UserSeed(
        "xtanlap_chuyenvien",
        "Đoàn Văn Khoa",
        Role.DEPARTMENT_OFFICER,
        "Công chức Văn phòng HĐND và UBND",
        "XTANLAP",
    ),
)

K = DepartmentKind
DEPARTMENTS: tuple[DepartmentSeed, ...] = (
    # Sở, ban, ngành (kind "so").
    DepartmentSeed("VP", "Văn phòng UBND tỉnh", K.SO, "chanhvanphong", "pct1"),
    DepartmentSeed("SNV", "Sở Nội vụ", K.SO, "snv_thutruong", "pct2"),
    DepartmentSeed("STC", "Sở Tài chính", K.SO, "stc_thutruong", "pct1"),
    DepartmentSeed("STP", "Sở Tư pháp", K.SO, "stp_thutruong", "pct2"),
    DepartmentSeed("SCT", "Sở Công Thương", K.SO, "sct_thutruong", "pct1"),
    DepartmentSeed("SNNMT", "Sở Nông nghiệp và Môi trường", K.SO, "snnmt_thutruong", "pct1"),
    DepartmentSeed("SXD", "Sở Xây dựng", K.SO, "sxd_thutruong", "pct1"),
    DepartmentSeed("SYT", "Sở Y tế", K.SO, "syt_thutruong", "pct2"),
    DepartmentSeed("SGDDT", "Sở Giáo dục và Đào tạo", K.SO, "sgddt_thutruong", "pct2"),
    DepartmentSeed("SKHCN", "Sở Khoa học và Công nghệ", K.SO, "skhcn_thutruong", "pct1"),
    DepartmentSeed("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", K.SO, "svhttdl_thutruong", "pct2"),
    DepartmentSeed("SDTTG", "Sở Dân tộc và Tôn giáo", K.SO, "sdttg_thutruong", "pct2"),
    DepartmentSeed("SNGV", "Sở Ngoại vụ", K.SO, "sngv_thutruong", "pct2"),
    DepartmentSeed("TTT", "Thanh tra tỉnh", K.SO, "ttt_thutruong", "pct2"),
    DepartmentSeed(
        "BQLKCN", "Ban Quản lý các khu công nghiệp tỉnh", K.SO, "bqlkcn_thutruong", "pct1"
    ),
    DepartmentSeed("CAT", "Công an tỉnh", K.SO, "cat_thutruong", "pct1"),
    DepartmentSeed("BCHQS", "Bộ Chỉ huy Quân sự tỉnh", K.SO, "bchqs_thutruong", "pct2"),
    DepartmentSeed("THUE", "Thuế tỉnh", K.SO, "thue_thutruong", "pct1"),
    DepartmentSeed("BPTTH", "Báo và Phát thanh, Truyền hình tỉnh", K.SO, "bptth_thutruong", "pct2"),
    DepartmentSeed(
        "BQLDA", "Ban Quản lý dự án đầu tư xây dựng tỉnh", K.SO, "bqlda_thutruong", "pct1"
    ),
    # UBND xã, phường, đặc khu (kind "ubnd_xa").
    DepartmentSeed("PHOABINH", "UBND phường Hòa Bình", K.UBND_XA, "phoabinh_thutruong", "pct1"),
    DepartmentSeed(
        "PDONGTHANH", "UBND phường Đông Thành", K.UBND_XA, "pdongthanh_thutruong", "pct1"
    ),
    DepartmentSeed("PNAMSON", "UBND phường Nam Sơn", K.UBND_XA, "pnamson_thutruong", "pct1"),
    DepartmentSeed("XTANLAP", "UBND xã Tân Lập", K.UBND_XA, "xtanlap_thutruong", "pct1"),
    DepartmentSeed("XPHUMY", "UBND xã Phú Mỹ", K.UBND_XA, "xphumy_thutruong", "pct1"),
    DepartmentSeed("XQUANGPHU", "UBND xã Quảng Phú", K.UBND_XA, "xquangphu_thutruong", "pct2"),
    DepartmentSeed("XSONTHUY", "UBND xã Sơn Thủy", K.UBND_XA, "xsonthuy_thutruong", "pct2"),
    DepartmentSeed("XYENHOA", "UBND xã Yên Hòa", K.UBND_XA, "xyenhoa_thutruong", "pct2"),
    DepartmentSeed("XBINHMINH", "UBND xã Bình Minh", K.UBND_XA, "xbinhminh_thutruong", "pct2"),
    DepartmentSeed("DKHONNGOC", "UBND đặc khu Hòn Ngọc", K.UBND_XA, "dkhonngoc_thutruong", "pct2"),
    # A former district, kept for its history only (districts ended on 1 July 2025).
    DepartmentSeed(
        "HTANLAP",
        "UBND huyện Tân Lập (đã kết thúc hoạt động)",
        K.UBND_HUYEN,
        None,
        None,
        active=False,
    ),
)

DK = DirectiveKind
DIRECTIVES: tuple[DirectiveSeed, ...] = (
    DirectiveSeed(
        number="125/TB-UBND",
        kind=DK.THONG_BAO_KET_LUAN,
        title=(
            "Kết luận của Chủ tịch UBND tỉnh tại cuộc họp về tình hình giải ngân vốn đầu tư công"
        ),
        summary=(
            "Thông báo kết luận của Chủ tịch UBND tỉnh tại cuộc họp với các sở, ngành, "
            "chủ đầu tư và UBND các xã, phường về tiến độ giải ngân kế hoạch vốn đầu tư "
            "công; yêu cầu phấn đấu giải ngân 100% kế hoạch vốn được giao, xử lý dứt điểm "
            "vướng mắc về mặt bằng và vật liệu xây dựng."
        ),
        age=125,
        signer="chutich",
        follow_up_officer="chuyenvien",
        tasks=(
            TaskSeed(
                "Rà soát, tham mưu điều chuyển kế hoạch vốn của các dự án chậm giải ngân",
                "Rà soát tỷ lệ giải ngân của từng dự án; tham mưu UBND tỉnh điều chuyển vốn từ "
                "các dự án giải ngân dưới 30% sang các dự án có khả năng giải ngân tốt.",
                "STC",
                ("BQLDA", "SXD"),
                assigned=1,
                deadline=("assigned", 15),
                steps=COMPLETED,
                done=-3,
            ),
            TaskSeed(
                "Đẩy nhanh tiến độ thi công các công trình giao thông trọng điểm",
                "Tăng ca, tăng kíp, bổ sung thiết bị thi công; hoàn thành các hạng mục theo "
                "đúng tiến độ cam kết với UBND tỉnh, báo cáo kết quả giải ngân hằng tháng.",
                "BQLDA",
                ("SXD", "STC"),
                assigned=1,
                deadline=("assigned", 40),
                urgent=True,
                steps=COMPLETED,
                done=7,
            ),
            TaskSeed(
                "Xác định giá đất cụ thể làm căn cứ bồi thường các dự án trọng điểm",
                "Hoàn thành xác định giá đất cụ thể, trình Hội đồng thẩm định giá đất tỉnh "
                "để kịp thời phê duyệt phương án bồi thường, hỗ trợ, tái định cư.",
                "SNNMT",
                ("XTANLAP", "XPHUMY", "PNAMSON"),
                assigned=1,
                deadline=("assigned", 30),
                steps=COMPLETED,
                done=0,
            ),
            TaskSeed(
                "Công bố giá vật liệu xây dựng, xử lý tình trạng khan hiếm vật liệu san lấp",
                "Công bố giá vật liệu xây dựng hằng quý sát giá thị trường; phối hợp cấp phép "
                "khai thác mỏ vật liệu san lấp phục vụ các dự án đầu tư công.",
                "SXD",
                ("SCT", "SNNMT"),
                assigned=1,
                deadline=("assigned", 20),
                steps=IN_PROGRESS,
            ),
            TaskSeed(
                "Tổng hợp, báo cáo định kỳ hằng tháng tình hình giải ngân vốn đầu tư công",
                "Tổng hợp số liệu giải ngân của các chủ đầu tư, báo cáo Chủ tịch UBND tỉnh "
                "tại phiên họp thường kỳ hằng tháng.",
                "VP",
                ("STC",),
                assigned=1,
                steps=IN_PROGRESS,
            ),
            TaskSeed(
                "Hỗ trợ nhà đầu tư dự án nhà máy điện sinh khối hoàn thiện thủ tục đầu tư",
                "Hướng dẫn nhà đầu tư hoàn thiện hồ sơ điều chỉnh chủ trương đầu tư, bảo đảm "
                "tiến độ giải ngân vốn đối ứng của dự án.",
                "SCT",
                ("BQLKCN",),
                assigned=2,
                deadline=("assigned", 30),
                steps=(
                    START,
                    (S.PAUSED, "Nhà đầu tư đề nghị tạm dừng để điều chỉnh quy mô dự án."),
                    (
                        S.CANCELLED,
                        "Nhà đầu tư có văn bản xin chấm dứt hoạt động dự án; nhiệm vụ "
                        "không còn phù hợp.",
                    ),
                ),
            ),
        ),
    ),
    DirectiveSeed(
        number="08/CT-UBND",
        kind=DK.CHI_THI,
        title=(
            "Chỉ thị về tăng cường công tác phòng, chống bệnh sốt xuất huyết, tay chân miệng "
            "trên địa bàn tỉnh"
        ),
        summary=(
            "Yêu cầu các sở, ngành và UBND các xã, phường, đặc khu triển khai quyết liệt các "
            "biện pháp phòng, chống dịch sốt xuất huyết, tay chân miệng; không để dịch bùng "
            "phát, lan rộng; giảm thiểu số ca mắc và tử vong."
        ),
        age=105,
        signer="chutich",
        follow_up_officer="chuyenvien2",
        tasks=(
            TaskSeed(
                "Tổ chức chiến dịch diệt lăng quăng, bọ gậy tại các ổ dịch",
                "Chỉ đạo Trung tâm Kiểm soát bệnh tật tỉnh phối hợp các trạm y tế xã, phường "
                "tổ chức chiến dịch diệt lăng quăng, bọ gậy; phun hóa chất tại các ổ dịch.",
                "SYT",
                ("SGDDT", "BPTTH"),
                deadline=("assigned", 10),
                urgent=True,
                steps=COMPLETED,
                done=-2,
            ),
            TaskSeed(
                "Bảo đảm thuốc, hóa chất, vật tư và giường bệnh điều trị sốt xuất huyết",
                "Rà soát cơ số thuốc, hóa chất, vật tư; phân tuyến điều trị, không để quá tải "
                "tại Bệnh viện Đa khoa tỉnh.",
                "SYT",
                ("STC",),
                deadline=("assigned", 15),
                steps=COMPLETED,
                done=0,
            ),
            TaskSeed(
                "Hướng dẫn trường học tổng vệ sinh, phát hiện sớm học sinh mắc tay chân miệng",
                "Chỉ đạo các trường mầm non, tiểu học tổ chức tổng vệ sinh lớp học, theo dõi "
                "sức khỏe học sinh, thông báo ngay cho trạm y tế khi phát hiện ca bệnh.",
                "SGDDT",
                ("SYT",),
                deadline=("assigned", 10),
                steps=COMPLETED,
                done=4,
            ),
            TaskSeed(
                "Xử lý dứt điểm ổ dịch sốt xuất huyết tại khu dân cư",
                "Khoanh vùng, xử lý ổ dịch tại các tổ dân phố có ca bệnh; vận động người dân "
                "loại bỏ dụng cụ chứa nước đọng.",
                "PHOABINH",
                ("SYT",),
                deadline=("assigned", 7),
                urgent=True,
                steps=COMPLETED,
                done=-1,
            ),
            TaskSeed(
                "Tuyên truyền các biện pháp phòng, chống sốt xuất huyết",
                "Thường xuyên đưa tin trên sóng phát thanh, truyền hình, báo điện tử và các "
                "nền tảng số về các biện pháp phòng bệnh.",
                "BPTTH",
                ("SYT", "SVHTTDL"),
                steps=COMPLETED,
                done=20,
            ),
            TaskSeed(
                "Bố trí kinh phí phòng, chống dịch từ nguồn dự phòng ngân sách tỉnh",
                "Tham mưu UBND tỉnh bổ sung kinh phí mua hóa chất, vật tư phòng, chống dịch "
                "cho các địa phương có ổ dịch.",
                "STC",
                ("SYT",),
                deadline=("assigned", 20),
                steps=(
                    START,
                    (
                        S.CANCELLED,
                        "Các địa phương đã bố trí đủ kinh phí từ ngân sách cấp xã; không còn "
                        "phát sinh nhu cầu bổ sung từ dự phòng ngân sách tỉnh.",
                    ),
                ),
            ),
        ),
    ),
    DirectiveSeed(
        number="3456/UBND-KT",
        kind=DK.CONG_VAN,
        title=(
            "V/v đẩy nhanh tiến độ bồi thường, giải phóng mặt bằng dự án đường cao tốc "
            "đoạn qua địa bàn tỉnh"
        ),
        summary=(
            "Giao các sở, ngành và UBND các xã có dự án đi qua tập trung hoàn thành công tác "
            "bồi thường, hỗ trợ, tái định cư, bàn giao mặt bằng cho nhà thầu thi công."
        ),
        age=90,
        signer="pct1",
        follow_up_officer="chuyenvien",
        tasks=(
            TaskSeed(
                "Hoàn thành kiểm đếm, lập phương án bồi thường các hộ còn lại",
                "Hoàn thành kiểm đếm, lập và niêm yết phương án bồi thường, hỗ trợ, tái định "
                "cư đối với 37 hộ còn lại trên tuyến.",
                "XTANLAP",
                ("SNNMT", "CAT"),
                deadline=("today", -25),
                urgent=True,
                steps=(
                    START,
                    REPORT,
                    (
                        S.IN_PROGRESS,
                        "Trả lại: phương án bồi thường chưa có ý kiến thẩm định của Sở Nông "
                        "nghiệp và Môi trường.",
                    ),
                ),
            ),
            TaskSeed(
                "Bàn giao mặt bằng sạch phần còn lại cho nhà thầu thi công",
                "Bàn giao toàn bộ mặt bằng đoạn qua địa bàn xã cho chủ đầu tư và nhà thầu.",
                "XPHUMY",
                ("SNNMT",),
                deadline=("today", -8),
            ),
            TaskSeed(
                "Thẩm định, trình phê duyệt giá đất cụ thể tính tiền bồi thường",
                "Thẩm định hồ sơ giá đất cụ thể do các xã trình, tham mưu UBND tỉnh phê duyệt.",
                "SNNMT",
                ("STC", "XTANLAP", "XPHUMY"),
                deadline=("assigned", 20),
                steps=COMPLETED,
                done=5,
            ),
            TaskSeed(
                "Đầu tư xây dựng khu tái định cư phục vụ dự án",
                "Đẩy nhanh thi công hạ tầng khu tái định cư, bảo đảm có đất bố trí cho các hộ "
                "dân trước khi thu hồi đất.",
                "SXD",
                ("SNNMT", "XTANLAP"),
                deadline=("today", 2),
                steps=IN_PROGRESS,
                extension=ExtensionSeed(
                    15,
                    "Chưa bàn giao đủ mặt bằng để thi công hạ tầng khu tái định cư; đề nghị gia "
                    "hạn thêm 15 ngày làm việc.",
                    "rejected",
                    "Khu tái định cư quyết định tiến độ bàn giao mặt bằng cả dự án: đề nghị tăng "
                    "ca, bổ sung thiết bị, hoàn thành đúng thời hạn.",
                ),
            ),
            TaskSeed(
                "Bảo đảm an ninh trật tự, hỗ trợ cưỡng chế thu hồi đất theo quy định",
                "Xây dựng phương án bảo đảm an ninh trật tự; hỗ trợ UBND các xã tổ chức cưỡng "
                "chế thu hồi đất khi có quyết định.",
                "CAT",
                ("XTANLAP", "XPHUMY"),
                steps=(
                    START,
                    (
                        S.PAUSED,
                        "Tạm dừng cưỡng chế để UBND xã tiếp tục vận động, đối thoại với các "
                        "hộ dân theo chỉ đạo của Phó Chủ tịch UBND tỉnh.",
                    ),
                ),
            ),
        ),
    ),
    DirectiveSeed(
        number="1234/QĐ-UBND",
        kind=DK.QUYET_DINH,
        title=(
            "Quyết định ban hành Kế hoạch cải cách thủ tục hành chính, nâng cao chỉ số hài "
            "lòng của người dân, doanh nghiệp"
        ),
        summary=(
            "Ban hành kế hoạch cắt giảm, đơn giản hóa thủ tục hành chính; đẩy mạnh cung cấp "
            "dịch vụ công trực tuyến toàn trình; nâng cao các chỉ số PAR Index, SIPAS, PAPI "
            "của tỉnh."
        ),
        age=80,
        signer="chutich",
        follow_up_officer="chuyenvien2",
        tasks=(
            TaskSeed(
                "Công bố danh mục thủ tục hành chính cung cấp dịch vụ công trực tuyến toàn trình",
                "Rà soát, trình Chủ tịch UBND tỉnh công bố danh mục thủ tục hành chính đủ điều "
                "kiện cung cấp dịch vụ công trực tuyến toàn trình.",
                "VP",
                ("SKHCN",),
                deadline=("assigned", 25),
                steps=COMPLETED,
                done=-5,
            ),
            TaskSeed(
                "Rà soát, kiến nghị cắt giảm, đơn giản hóa thủ tục hành chính",
                "Rà soát các thủ tục hành chính thuộc thẩm quyền của tỉnh, kiến nghị cắt giảm "
                "thành phần hồ sơ, giấy tờ công dân đã có trong cơ sở dữ liệu.",
                "STP",
                ("VP",),
                deadline=("assigned", 30),
                steps=COMPLETED,
                done=0,
            ),
            TaskSeed(
                "Nâng cấp Hệ thống thông tin giải quyết thủ tục hành chính tỉnh",
                "Nâng cấp hệ thống, kết nối Cổng Dịch vụ công quốc gia và Cơ sở dữ liệu quốc "
                "gia về dân cư; bảo đảm an toàn thông tin.",
                "SKHCN",
                ("VP", "CAT"),
                deadline=("today", -4),
                steps=AWAITING,
            ),
            TaskSeed(
                "Khảo sát sự hài lòng của người dân đối với cơ quan hành chính nhà nước",
                "Tổ chức khảo sát, đo lường sự hài lòng của người dân, tổ chức đối với sự phục "
                "vụ của cơ quan hành chính nhà nước (SIPAS).",
                "SNV",
                ("VP",),
                deadline=("today", 15),
                steps=IN_PROGRESS,
            ),
            TaskSeed(
                "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính tại Bộ phận Một cửa",
                "Số hóa 100% hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực.",
                "PDONGTHANH",
                ("SKHCN",),
                deadline=("today", -2),
                steps=IN_PROGRESS,
            ),
        ),
    ),
    DirectiveSeed(
        number="215/KH-UBND",
        kind=DK.KE_HOACH,
        title=(
            "Kế hoạch triển khai Đề án phát triển ứng dụng dữ liệu về dân cư, định danh và "
            "xác thực điện tử (Đề án 06) và chuyển đổi số"
        ),
        summary=(
            "Triển khai các nhiệm vụ của Đề án 06 trên địa bàn tỉnh: làm sạch dữ liệu dân cư, "
            "tích hợp định danh điện tử VNeID vào dịch vụ công, số hóa hồ sơ y tế, giáo dục, "
            "thanh toán không dùng tiền mặt."
        ),
        age=65,
        signer="pct1",
        follow_up_officer="chuyenvien",
        tasks=(
            TaskSeed(
                "Làm sạch dữ liệu dân cư bảo đảm “đúng, đủ, sạch, sống”",
                "Rà soát, cập nhật, điều chỉnh thông tin công dân trong Cơ sở dữ liệu quốc gia "
                "về dân cư; đồng bộ với các cơ sở dữ liệu chuyên ngành.",
                "CAT",
                ("SKHCN", "VP"),
                deadline=("assigned", 30),
                steps=COMPLETED,
                done=-4,
            ),
            TaskSeed(
                "Triển khai sổ sức khỏe điện tử cho người dân",
                "Triển khai sổ sức khỏe điện tử trên VNeID; kết nối dữ liệu giấy khám sức khỏe "
                "lái xe, giấy chứng sinh, giấy báo tử.",
                "SYT",
                ("CAT", "SKHCN"),
                deadline=("today", 1),
                steps=IN_PROGRESS,
                extension=ExtensionSeed(
                    10,
                    "Phần mềm của một số bệnh viện chưa kết nối được với nền tảng sổ sức khỏe "
                    "điện tử; đề nghị gia hạn 10 ngày làm việc để hoàn thành kết nối.",
                    "pending",
                ),
            ),
            TaskSeed(
                "Liên thông đơn thuốc điện tử của các cơ sở khám bệnh, chữa bệnh",
                "Kết nối đơn thuốc điện tử của bệnh viện, trạm y tế với Hệ thống đơn thuốc quốc "
                "gia; báo cáo tỷ lệ đơn thuốc được liên thông.",
                "SYT",
                ("SKHCN",),
                deadline=("today", -5),
                steps=IN_PROGRESS,
            ),
            TaskSeed(
                "Triển khai học bạ số tại các cơ sở giáo dục phổ thông",
                "Triển khai học bạ số, kết nối dữ liệu học sinh với Cơ sở dữ liệu quốc gia về "
                "dân cư.",
                "SGDDT",
                ("CAT",),
                deadline=("today", 20),
                steps=(
                    START,
                    (
                        S.PAUSED,
                        "Tạm dừng chờ Bộ Giáo dục và Đào tạo ban hành hướng dẫn kỹ thuật về học "
                        "bạ số.",
                    ),
                ),
                extension=ExtensionSeed(
                    30,
                    "Chờ hướng dẫn kỹ thuật của Bộ Giáo dục và Đào tạo về định dạng học bạ số.",
                    "closed",
                ),
            ),
            TaskSeed(
                "Thanh toán không dùng tiền mặt đối với phí, lệ phí thủ tục hành chính",
                "Hướng dẫn các cơ quan, đơn vị thu phí, lệ phí qua tài khoản, ví điện tử.",
                "STC",
                ("CAT", "THUE"),
                deadline=("today", 3),
                steps=AWAITING,
            ),
            TaskSeed(
                "Duy trì Tổ công nghệ số cộng đồng tại các thôn, tổ dân phố",
                "Duy trì hoạt động của Tổ công nghệ số cộng đồng; hướng dẫn người dân kích hoạt "
                "tài khoản định danh điện tử mức độ 2.",
                "XBINHMINH",
                ("CAT",),
                steps=IN_PROGRESS,
            ),
            TaskSeed(
                "Xây dựng Kho dữ liệu dùng chung của tỉnh",
                "Xây dựng Kho dữ liệu dùng chung, kết nối các cơ sở dữ liệu chuyên ngành của "
                "tỉnh với các cơ sở dữ liệu quốc gia.",
                "SKHCN",
                ("VP",),
                deadline=("assigned", 60),
                steps=(
                    START,
                    (
                        S.PAUSED,
                        "Chờ hướng dẫn kiến trúc dữ liệu quốc gia mới của Bộ Khoa học và "
                        "Công nghệ.",
                    ),
                ),
            ),
        ),
    ),
    DirectiveSeed(
        number="4102/UBND-VX",
        kind=DK.Y_KIEN_CHI_DAO,
        title=(
            "Ý kiến chỉ đạo của Phó Chủ tịch UBND tỉnh về bảo đảm cơ sở vật chất, đội ngũ "
            "giáo viên chuẩn bị cho năm học mới"
        ),
        summary=(
            "Giao các cơ quan, địa phương rà soát, bảo đảm đủ phòng học, thiết bị dạy học, "
            "giáo viên; không để học sinh thiếu trường, thiếu lớp, bỏ học."
        ),
        age=50,
        signer="pct2",
        follow_up_officer="chuyenvien2",
        tasks=(
            TaskSeed(
                "Rà soát, đề xuất bổ sung biên chế giáo viên còn thiếu",
                "Rà soát số giáo viên còn thiếu theo định mức, đề xuất giao bổ sung biên chế "
                "và hợp đồng giáo viên.",
                "SGDDT",
                ("STC", "SNV"),
                deadline=("today", -6),
                steps=(
                    START,
                    (S.PAUSED, "Chờ Bộ Nội vụ thông báo số biên chế giáo viên giao bổ sung."),
                    (
                        S.IN_PROGRESS,
                        "Đã có thông báo biên chế giáo viên bổ sung; tiếp tục thực hiện.",
                    ),
                ),
            ),
            TaskSeed(
                "Thẩm định thiết kế, đẩy nhanh xây dựng phòng học tại các trường còn thiếu",
                "Ưu tiên thẩm định hồ sơ thiết kế các công trình trường học; hướng dẫn chủ đầu "
                "tư đẩy nhanh tiến độ thi công.",
                "SXD",
                ("SGDDT", "STC"),
                deadline=("today", 10),
                steps=IN_PROGRESS,
                extension=ExtensionSeed(
                    20,
                    "Nhiều hồ sơ thiết kế phải điều chỉnh theo tiêu chuẩn trường học mới ban "
                    "hành; đề nghị gia hạn 20 ngày làm việc.",
                    "approved",
                    "Đồng ý gia hạn; Sở Xây dựng báo cáo tiến độ hằng tuần.",
                ),
            ),
            TaskSeed(
                "Sửa chữa, bảo đảm an toàn phòng học và nhà công vụ giáo viên",
                "Sửa chữa các phòng học xuống cấp, nhà công vụ giáo viên tại các điểm trường.",
                "DKHONNGOC",
                ("SGDDT",),
                deadline=("assigned", 20),
                steps=COMPLETED,
                done=0,
            ),
            TaskSeed(
                "Vận động học sinh dân tộc thiểu số ra lớp, không để học sinh bỏ học",
                "Phối hợp nhà trường, già làng, người có uy tín vận động học sinh ra lớp.",
                "XSONTHUY",
                ("SGDDT", "SDTTG"),
                steps=COMPLETED,
                done=15,
            ),
            TaskSeed(
                "Bố trí kinh phí mua sắm thiết bị dạy học tối thiểu",
                "Tham mưu bố trí kinh phí mua sắm thiết bị dạy học tối thiểu theo chương "
                "trình giáo dục phổ thông.",
                "STC",
                ("SGDDT",),
                deadline=("assigned", 15),
                steps=COMPLETED,
                done=3,
            ),
        ),
    ),
    DirectiveSeed(
        number="186/TB-UBND",
        kind=DK.THONG_BAO_KET_LUAN,
        title=(
            "Kết luận của Chủ tịch UBND tỉnh tại cuộc họp triển khai khắc phục hậu quả mưa "
            "lũ, sạt lở đất"
        ),
        summary=(
            "Sau đợt mưa lũ lớn gây ngập úng, sạt lở tại nhiều xã, Chủ tịch UBND tỉnh yêu "
            "cầu khẩn trương khắc phục hậu quả, sớm ổn định đời sống người dân, khôi phục "
            "sản xuất, bảo đảm giao thông và an toàn trường học."
        ),
        age=35,
        signer="chutich",
        follow_up_officer="chuyenvien",
        tasks=(
            TaskSeed(
                "Thống kê thiệt hại, đề xuất hỗ trợ khôi phục sản xuất nông nghiệp",
                "Tổng hợp thiệt hại về lúa, hoa màu, thủy sản; đề xuất mức hỗ trợ giống cây "
                "trồng, vật nuôi để khôi phục sản xuất.",
                "SNNMT",
                ("BCHQS", "XYENHOA", "XSONTHUY"),
                deadline=("assigned", 5),
                urgent=True,
                steps=COMPLETED,
                done=-1,
            ),
            TaskSeed(
                "Khắc phục sạt lở, bảo đảm giao thông thông suốt trên các tuyến đường tỉnh",
                "Huy động máy móc thông tuyến; cắm biển cảnh báo, bố trí lực lượng hướng dẫn "
                "tại các điểm sạt lở.",
                "SXD",
                ("BQLDA", "XYENHOA"),
                deadline=("assigned", 10),
                urgent=True,
                steps=COMPLETED,
                done=3,
            ),
            TaskSeed(
                "Vệ sinh môi trường, phòng, chống dịch bệnh sau lũ",
                "Cấp phát hóa chất khử khuẩn, xử lý nguồn nước sinh hoạt; giám sát dịch bệnh "
                "tại các vùng bị ngập.",
                "SYT",
                ("XYENHOA", "XQUANGPHU"),
                deadline=("assigned", 7),
                urgent=True,
                steps=COMPLETED,
                done=0,
            ),
            TaskSeed(
                "Di dời các hộ dân ở vùng có nguy cơ sạt lở cao đến nơi an toàn",
                "Tổ chức di dời, bố trí chỗ ở tạm, bảo đảm lương thực, nước uống cho các hộ dân "
                "vùng nguy cơ sạt lở.",
                "BCHQS",
                ("CAT", "XSONTHUY"),
                deadline=("today", -3),
                urgent=True,
                steps=IN_PROGRESS,
            ),
            TaskSeed(
                "Khắc phục trường học bị ngập, bảo đảm học sinh sớm trở lại trường",
                "Dọn dẹp, vệ sinh trường lớp; bổ sung sách vở, đồ dùng học tập cho học sinh bị "
                "thiệt hại.",
                "SGDDT",
                ("XYENHOA",),
                deadline=("assigned", 5),
                urgent=True,
                steps=COMPLETED,
                done=-1,
            ),
            TaskSeed(
                "Rà soát, quy hoạch khu tái định cư cho các hộ ở vùng sạt lở",
                "Khảo sát, lựa chọn địa điểm, lập quy hoạch khu tái định cư tập trung.",
                "SNNMT",
                ("SXD",),
                deadline=("today", 40),
                steps=AWAITING,
            ),
            TaskSeed(
                "Tạm ứng ngân sách hỗ trợ các địa phương khắc phục hậu quả thiên tai",
                "Tham mưu tạm ứng ngân sách tỉnh cho các xã bị thiệt hại nặng.",
                "STC",
                ("SNNMT",),
                deadline=("assigned", 3),
                urgent=True,
                steps=(
                    START,
                    REPORT,
                    (
                        S.IN_PROGRESS,
                        "Trả lại: chưa kèm quyết định phân bổ kinh phí cho từng xã.",
                    ),
                    REPORT,
                    ACCEPT,
                ),
                done=1,
            ),
            TaskSeed(
                "Hỗ trợ khôi phục các di tích, thiết chế văn hóa bị hư hại do mưa lũ",
                "Khảo sát mức độ hư hại, lập phương án tu bổ cấp thiết các di tích, nhà văn "
                "hóa thôn.",
                "SVHTTDL",
                ("XYENHOA",),
                deadline=("today", 8),
                steps=IN_PROGRESS,
            ),
        ),
    ),
    DirectiveSeed(
        number="12/CT-UBND",
        kind=DK.CHI_THI,
        title=(
            "Chỉ thị về tăng cường kỷ luật, kỷ cương hành chính; nâng cao trách nhiệm thực "
            "hiện nhiệm vụ Chủ tịch UBND tỉnh giao"
        ),
        summary=(
            "Yêu cầu thủ trưởng các cơ quan, đơn vị chịu trách nhiệm hoàn thành đúng hạn các "
            "nhiệm vụ được giao; kết quả thực hiện là tiêu chí đánh giá, xếp loại, thi đua "
            "hằng năm."
        ),
        age=22,
        signer="chutich",
        follow_up_officer="chuyenvien2",
        tasks=(
            TaskSeed(
                "Đưa kết quả thực hiện nhiệm vụ được giao vào đánh giá, xếp loại thủ trưởng",
                "Tham mưu bộ tiêu chí đánh giá, xếp loại thủ trưởng cơ quan, đơn vị gắn với tỷ "
                "lệ hoàn thành nhiệm vụ đúng hạn.",
                "SNV",
                ("VP", "TTT"),
                deadline=("today", 12),
                steps=IN_PROGRESS,
            ),
            TaskSeed(
                "Kiểm tra công vụ đột xuất việc chấp hành kỷ luật, kỷ cương hành chính",
                "Tổ chức kiểm tra công vụ đột xuất tại các cơ quan, đơn vị có nhiều nhiệm vụ "
                "quá hạn.",
                "TTT",
                ("SNV",),
            ),
            TaskSeed(
                "Báo cáo định kỳ kết quả thực hiện nhiệm vụ Chủ tịch UBND tỉnh giao",
                "Tổng hợp, báo cáo tình hình thực hiện nhiệm vụ, đề xuất biện pháp xử lý đối "
                "với các nhiệm vụ quá hạn.",
                "VP",
                ("SKHCN",),
                deadline=("today", 2),
            ),
            TaskSeed(
                "Rà soát quy chế làm việc, phân công nhiệm vụ rõ người, rõ việc, rõ thời hạn",
                "Sửa đổi quy chế làm việc của cơ quan; phân công rõ trách nhiệm từng lãnh đạo, "
                "công chức.",
                "SNGV",
                ("SNV",),
                deadline=("assigned", 10),
                steps=COMPLETED,
                done=-2,
            ),
        ),
    ),
    DirectiveSeed(
        number="5120/UBND-KT",
        kind=DK.CONG_VAN,
        title=(
            "V/v tăng cường quản lý trật tự xây dựng và phòng cháy, chữa cháy đối với nhà ở "
            "kết hợp sản xuất, kinh doanh"
        ),
        summary=(
            "Giao các cơ quan, địa phương tổng kiểm tra, xử lý vi phạm trật tự xây dựng và "
            "an toàn phòng cháy, chữa cháy tại nhà ở kết hợp kinh doanh, nhà trọ, chợ."
        ),
        age=10,
        signer="pct1",
        follow_up_officer="chuyenvien",
        tasks=(
            TaskSeed(
                "Tổng kiểm tra an toàn phòng cháy, chữa cháy nhà ở kết hợp kinh doanh, nhà trọ",
                "Tổng kiểm tra, hướng dẫn khắc phục ngay các tồn tại về phòng cháy, chữa cháy; "
                "xử lý nghiêm các vi phạm.",
                "CAT",
                ("SXD", "PHOABINH", "PNAMSON"),
                deadline=("assigned", 20),
                urgent=True,
                steps=IN_PROGRESS,
            ),
            TaskSeed(
                "Xử lý dứt điểm công trình xây dựng không phép, sai phép",
                "Rà soát, lập danh sách và xử lý dứt điểm các công trình xây dựng không phép, "
                "sai phép trên địa bàn các phường.",
                "SXD",
                ("PHOABINH", "PNAMSON"),
                deadline=("today", 3),
            ),
            TaskSeed(
                "Vận động người dân cải tạo lối thoát nạn thứ hai tại nhà ở riêng lẻ",
                "Lập danh sách nhà ở riêng lẻ chưa có lối thoát nạn thứ hai; vận động, hướng dẫn "
                "người dân cải tạo.",
                "PNAMSON",
                ("SXD",),
                deadline=("today", 25),
            ),
            TaskSeed(
                "Kiểm tra an toàn điện, phòng cháy, chữa cháy tại các chợ, trung tâm thương mại",
                "Kiểm tra hệ thống điện, phương tiện phòng cháy tại các chợ, trung tâm thương mại.",
                "SCT",
                ("CAT",),
                deadline=("assigned", 15),
                steps=(
                    (
                        S.CANCELLED,
                        "Nội dung đã được giao tại kế hoạch kiểm tra liên ngành của Công an "
                        "tỉnh; hủy để tránh trùng lặp.",
                    ),
                ),
            ),
        ),
    ),
    DirectiveSeed(
        number="5230/UBND-TH",
        kind=DK.Y_KIEN_CHI_DAO,
        title=(
            "Ý kiến chỉ đạo của Phó Chủ tịch UBND tỉnh về tăng cường các giải pháp thu ngân "
            "sách nhà nước, chống thất thu"
        ),
        summary=(
            "Giao các cơ quan, địa phương quyết liệt triển khai các giải pháp quản lý thu, "
            "chống thất thu, thu hồi nợ đọng thuế, phấn đấu hoàn thành vượt dự toán thu "
            "ngân sách được giao."
        ),
        age=4,
        signer="pct1",
        follow_up_officer="chuyenvien2",
        tasks=(
            TaskSeed(
                "Tăng cường quản lý thu đối với hoạt động thương mại điện tử",
                "Rà soát, đưa vào quản lý thuế các tổ chức, cá nhân kinh doanh trên nền tảng "
                "thương mại điện tử.",
                "THUE",
                ("STC", "SCT"),
                assigned=1,
                deadline=("assigned", 20),
            ),
            TaskSeed(
                "Đẩy nhanh đấu giá quyền sử dụng đất các khu đất đã đủ điều kiện",
                "Hoàn thiện hồ sơ, tổ chức đấu giá quyền sử dụng đất các khu đất đã giải phóng "
                "mặt bằng.",
                "STC",
                ("THUE", "SNNMT"),
                assigned=1,
                deadline=("today", 30),
                urgent=True,
            ),
            TaskSeed(
                "Tăng cường chống buôn lậu, gian lận thương mại và hàng giả",
                "Chỉ đạo lực lượng quản lý thị trường phối hợp kiểm tra, xử lý thường xuyên.",
                "SCT",
                ("CAT", "THUE"),
                assigned=1,
            ),
            TaskSeed(
                "Thu hồi nợ đọng thuế, tiền sử dụng đất trên địa bàn xã",
                "Rà soát, phân loại nợ; đôn đốc các tổ chức, cá nhân nộp dứt điểm tiền nợ đọng.",
                "XQUANGPHU",
                ("THUE",),
                assigned=1,
                deadline=("today", -1),
            ),
        ),
    ),
)


# --- Result -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    position: str
    department_code: str | None
    department_name: str | None
    language: str
    superuser: bool


@dataclass(frozen=True)
class DemoResult:
    created: bool
    today: date
    password: str
    accounts: tuple[DemoAccount, ...]
    departments: int = 0
    users: int = 0
    directives: int = 0
    tasks: int = 0
    tasks_by_status: dict[str, int] = field(default_factory=dict)
    extensions_by_status: dict[str, int] = field(default_factory=dict)


def demo_accounts() -> tuple[DemoAccount, ...]:
    names = {d.code: d.name for d in DEPARTMENTS}
    return tuple(
        DemoAccount(
            username=u.username,
            full_name=u.full_name,
            role=str(u.role),
            position=u.position,
            department_code=u.department,
            department_name=names.get(u.department) if u.department else None,
            language=u.language,
            superuser=u.superuser,
        )
        for u in USERS
    )


def demo_loaded() -> bool:
    return User.objects.filter(username=MARKER_USERNAME).exists()


# --- Loading ----------------------------------------------------------------------------


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _check_conflicts(today: date, calendar: WorkingCalendar) -> None:
    usernames = [u.username for u in USERS]
    taken = sorted(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    clashes = [f"user {name}" for name in taken]
    for seed in DIRECTIVES:
        issued_on = calendar.add_working_days(today, -seed.age)
        if Directive.objects.filter(number=seed.number, issued_year=issued_on.year).exists():
            clashes.append(f"directive {seed.number} of {issued_on.year}")
    if clashes:
        raise DemoConflictError(
            "The database already holds objects the demo data would create: "
            + ", ".join(clashes)
            + ". Load the demo into an empty database."
        )


def _load_departments() -> tuple[dict[str, Department], int]:
    departments: dict[str, Department] = {}
    created = 0
    for n, seed in enumerate(DEPARTMENTS, start=1):
        existing = Department.objects.filter(code=seed.code).first()
        if existing is not None:
            # A department set up before the demo is reused as it is.
            departments[seed.code] = existing
            continue
        departments[seed.code] = department_create(
            code=seed.code,
            name=_nfc(seed.name),
            kind=seed.kind,
            email=f"{seed.code.lower()}@{EMAIL_DOMAIN}" if seed.active else "",
            phone=f"0200{3810000 + n}" if seed.active else "",
            active=seed.active,
        )
        created += 1
    return departments, created


def _load_users(departments: dict[str, Department]) -> dict[str, User]:
    # One hash for all: hashing is deliberately slow, and every demo account shares it.
    password_hash = make_password(DEMO_PASSWORD)
    users: dict[str, User] = {}
    for n, seed in enumerate(USERS, start=1):
        data = {
            "username": seed.username,
            "full_name": _nfc(seed.full_name),
            "email": f"{seed.username.replace('_', '.')}@{EMAIL_DOMAIN}",
            "phone": f"0900{n:06d}",
            "role": seed.role,
            "department": departments[seed.department] if seed.department else None,
            "language": seed.language,
        }
        validate_password(DEMO_PASSWORD, user=User(**data))
        user = user_create(**data)
        user.password = password_hash
        user.is_staff = user.is_superuser = seed.superuser
        user.save(update_fields=["password", "is_staff", "is_superuser"])
        users[seed.username] = user
    return users


def _assign_heads(departments: dict[str, Department], users: dict[str, User]) -> None:
    for seed in DEPARTMENTS:
        department = departments[seed.code]
        data: dict[str, User] = {}
        if seed.head and department.head_id is None:
            data["head"] = users[seed.head]
        if seed.supervising_leader and department.supervising_leader_id is None:
            data["supervising_leader"] = users[seed.supervising_leader]
        if data:
            department_update(department=department, data=data)


def _department_actor(users_by_department: dict[str, list[User]], code: str) -> User | None:
    """The lead department's officer, else its head."""
    members = users_by_department.get(code, [])
    officers = [u for u in members if u.role == Role.DEPARTMENT_OFFICER]
    return (officers or members or [None])[0]


def _department_head(users: dict[str, User], code: str) -> User:
    head_name = next(d.head for d in DEPARTMENTS if d.code == code)
    return users[head_name] if head_name else users[OFFICE_DIRECTOR]


def _move(
    task: Task,
    seed: TaskSeed,
    *,
    today: date,
    calendar: WorkingCalendar,
    users: dict[str, User],
    users_by_department: dict[str, list[User]],
    follow_up_officer: User,
) -> Task:
    """Takes the task through its seed's steps with the lifecycle actions, each by the person who
    would do it: the lead department starts and reports, the follow-up officer accepts or
    returns, the office director pauses, resumes and cancels. An extension request comes
    after the first step."""
    head = _department_head(users, seed.lead)
    worker = _department_actor(users_by_department, seed.lead) or head
    director = users[OFFICE_DIRECTOR]
    base = task.effective_deadline or task.assigned_on
    completed_on = calendar.add_working_days(base, seed.done or 0)
    completed_on = min(max(completed_on, task.assigned_on), today)
    ask_after = min(1, len(seed.steps))  # steps taken before the extension request
    for number, (target, reason) in enumerate(seed.steps):
        if seed.extension is not None and number == ask_after:
            _extension(task, seed.extension, worker, follow_up_officer, calendar)
        reason = _nfc(reason)
        current = TaskStatus(Task.objects.values_list("status", flat=True).get(pk=task.pk))
        if target == S.IN_PROGRESS and current == S.ASSIGNED:
            lifecycle.progress_report_create(task_id=task.pk, actor=worker, note=reason)
        elif target == S.IN_PROGRESS and current == S.AWAITING_ACCEPTANCE:
            lifecycle.completion_return(task_id=task.pk, actor=follow_up_officer, reason=reason)
        elif target == S.IN_PROGRESS:
            lifecycle.task_resume(task_id=task.pk, actor=director, reason=reason)
        elif target == S.AWAITING_ACCEPTANCE:
            lifecycle.completion_report_create(
                task_id=task.pk, actor=head, completed_on=completed_on, result=reason
            )
        elif target == S.COMPLETED:
            lifecycle.completion_accept(task_id=task.pk, actor=follow_up_officer)
        elif target == S.PAUSED:
            lifecycle.task_pause(task_id=task.pk, actor=director, reason=reason)
        else:
            lifecycle.task_cancel(task_id=task.pk, actor=director, reason=reason)
    if seed.extension is not None and len(seed.steps) == ask_after:
        _extension(task, seed.extension, worker, follow_up_officer, calendar)
    return Task.objects.get(pk=task.pk)


def _extension(
    task: Task,
    seed: ExtensionSeed,
    worker: User,
    follow_up_officer: User,
    calendar: WorkingCalendar,
) -> ExtensionRequest:
    """Asked today, on or before the deadline, by the lead department's officer (its head
    where it has none); decided today by the supervising leader or the follow-up officer."""
    deadline = Task.objects.values_list("effective_deadline", flat=True).get(pk=task.pk)
    request = lifecycle.extension_request_create(
        task_id=task.pk,
        actor=worker,
        requested_deadline=calendar.add_working_days(deadline, seed.working_days),
        reason=_nfc(seed.reason),
    )
    if seed.outcome == "approved":
        leader = User.objects.get(pk=task.supervising_leader_id)
        return lifecycle.extension_approve(
            request_id=request.pk, actor=leader, note=_nfc(seed.note)
        )
    if seed.outcome == "rejected":
        return lifecycle.extension_reject(
            request_id=request.pk, actor=follow_up_officer, note=_nfc(seed.note)
        )
    return request  # pending, or closed by the pause that follows


def _status_counts() -> Counter[str]:
    return Counter(dict(Task.objects.order_by().values_list("status").annotate(n=Count("id"))))


def _import_sample(today: date, actor: User) -> tuple[int, Counter[str]]:
    """Imports SAMPLE_TASKS when its dates have come; the directives it created and the tasks
    it created by state."""
    if today < SAMPLE_TASKS_AS_OF:
        return 0, Counter()
    before = _status_counts()
    try:
        with SAMPLE_TASKS.open("rb") as file:
            result = import_tasks(file=file, filename=SAMPLE_TASKS.name, actor=actor, today=today)
    except ImportRejected as exc:
        raise DemoConflictError(
            f"The sample file {SAMPLE_TASKS.name} cannot be imported: {exc}. "
            "Load the demo into an empty database."
        ) from exc
    added = _status_counts()
    added.subtract(before)
    return result.directives_created, +added


@transaction.atomic
def load_demo(today: date) -> DemoResult:
    """Creates the demo province as of `today`, or nothing when it is already loaded."""
    accounts = demo_accounts()
    if demo_loaded():
        return DemoResult(created=False, today=today, password=DEMO_PASSWORD, accounts=accounts)
    with _clock_on(today):
        return _load(today, accounts)


@contextmanager
def _clock_on(today: date) -> Iterator[None]:
    """The lifecycle checks what it is told against the current day (an extension is asked
    for on or before the deadline, a completion is not in the future): while the demo is
    loaded as of another day than the real one, config.common.clock reads that day (09:00) from a
    file of this process's own, so no other process's clock moves."""
    if today == timezone.localdate():
        yield
        return
    saved = settings.CLOCK_FILE
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "clock"
        moment = datetime.combine(today, time(9, 0), timezone.get_current_timezone())
        path.write_text(moment.isoformat())
        settings.CLOCK_FILE = str(path)
        try:
            yield
        finally:
            settings.CLOCK_FILE = saved


def _load(today: date, accounts: tuple[DemoAccount, ...]) -> DemoResult:
    # Covers every date the data uses, so the walks below need no further query.
    calendar = WorkingCalendar(today - timedelta(days=300), today + timedelta(days=120))
    _check_conflicts(today, calendar)
    departments, departments_created = _load_departments()
    users = _load_users(departments)
    _assign_heads(departments, users)

    users_by_department: dict[str, list[User]] = {}
    for seed in USERS:
        if seed.department and seed.role in (Role.DEPARTMENT_HEAD, Role.DEPARTMENT_OFFICER):
            users_by_department.setdefault(seed.department, []).append(users[seed.username])

    office = users[MARKER_USERNAME]
    statuses: Counter[str] = Counter()
    task_count = 0
    for directive_seed in DIRECTIVES:
        issued_on = calendar.add_working_days(today, -directive_seed.age)
        follow_up_officer = users[directive_seed.follow_up_officer]
        task_inputs = []
        for seed in directive_seed.tasks:
            assigned_on = min(calendar.add_working_days(issued_on, seed.assigned), today)
            lead = departments[seed.lead]
            task_input = {
                "title": _nfc(seed.title),
                "content": _nfc(seed.content),
                "lead_department": lead,
                "coordinating_departments": [departments[c] for c in seed.coordinating],
                "assigned_on": assigned_on,
                "priority": Priority.URGENT if seed.urgent else Priority.NORMAL,
                "follow_up_officer": follow_up_officer,
                "supervising_leader": lead.supervising_leader,
            }
            if seed.deadline is not None:
                base, days = seed.deadline
                if base == "assigned":
                    task_input["deadline_working_days"] = days
                else:
                    task_input["deadline"] = max(
                        calendar.add_working_days(today, days), assigned_on
                    )
            task_inputs.append(task_input)
        directive = directive_create(
            actor=office,
            tasks=task_inputs,
            number=directive_seed.number,
            kind=directive_seed.kind,
            title=_nfc(directive_seed.title),
            issued_on=issued_on,
            signer=users[directive_seed.signer].full_name,
            summary=_nfc(directive_seed.summary),
        )
        tasks = list(directive.tasks.order_by("id"))
        for task, seed in zip(tasks, directive_seed.tasks, strict=True):
            task = _move(
                task,
                seed,
                today=today,
                calendar=calendar,
                users=users,
                users_by_department=users_by_department,
                follow_up_officer=follow_up_officer,
            )
            statuses[task.status] += 1
            task_count += 1

    sample_directives, sample_statuses = _import_sample(today, office)
    statuses.update(sample_statuses)
    task_count += sum(sample_statuses.values())

    return DemoResult(
        created=True,
        today=today,
        password=DEMO_PASSWORD,
        accounts=accounts,
        departments=departments_created,
        users=len(users),
        directives=len(DIRECTIVES) + sample_directives,
        tasks=task_count,
        tasks_by_status={str(s): statuses.get(s, 0) for s in TaskStatus},
        extensions_by_status=dict(
            ExtensionRequest.objects.order_by("status")
            .values_list("status")
            .annotate(n=Count("id"))
        ),
    )
