"""The import benchmark's file (bench/import_bench.py): 1,000 departments, the office's
user, and a CSV of N realistic rows of the import's columns: Vietnamese titles and contents,
one directive per 20 tasks issued over 2021–2026, 0–3 coordinating departments, every
state, 80 % with a deadline, a third of the dates written DD/MM/YYYY."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from typing import TYPE_CHECKING

from bench.common import SUBJECTS

if TYPE_CHECKING:
    from tracker.models import User

DEPARTMENTS = 1_000
TASKS_PER_DIRECTIVE = 20
SEED = 20260301

ACTIONS = [
    "Rà soát, báo cáo",
    "Tham mưu UBND tỉnh ban hành kế hoạch về",
    "Kiểm tra, đôn đốc",
    "Tổ chức triển khai",
    "Đề xuất giải pháp tháo gỡ vướng mắc về",
    "Tổng hợp kết quả thực hiện",
]
KINDS = ["thong_bao_ket_luan", "chi_thi", "cong_van", "quyet_dinh", "ke_hoach", "y_kien_chi_dao"]
SIGNERS = ["Hoàng Minh Đức", "Lê Thị Mai Anh", "Vũ Đức Thắng"]
# Roughly the shares of a province's history: most tasks done, a few stopped.
STATUSES = [
    ("completed", 45),
    ("awaiting_acceptance", 8),
    ("in_progress", 25),
    ("assigned", 12),
    ("paused", 5),
    ("cancelled", 5),
]


def departments() -> list[str]:
    from tracker.models import Department, DepartmentKind

    codes = [f"B{n:04d}" for n in range(1, DEPARTMENTS + 1)]
    Department.objects.bulk_create(
        [
            Department(
                code=code,
                name=f"Cơ quan thử nghiệm số {code[1:]}",
                kind=DepartmentKind.SO if n % 3 else DepartmentKind.UBND_XA,
            )
            for n, code in enumerate(codes)
        ],
        ignore_conflicts=True,
    )
    return codes


def office_user() -> User:
    from tracker.models import Role, User

    user, _created = User.objects.get_or_create(
        username="bench_office", defaults={"role": Role.OFFICE, "full_name": "Chuyên viên"}
    )
    return user


def generate(size: int, codes: list[str]) -> bytes:
    """N rows of the import's columns; ~N/20 directives issued over 2021–2026."""
    from directives.imports import COLUMNS

    rng = random.Random(SEED + size)
    states = [s for s, weight in STATUSES for _ in range(weight)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    start = dt.date(2021, 1, 4)
    span = (dt.date(2026, 6, 30) - start).days
    directive = None
    for i in range(size):
        if i % TASKS_PER_DIRECTIVE == 0:
            issued = start + dt.timedelta(days=rng.randrange(span))
            d = i // TASKS_PER_DIRECTIVE
            kind = rng.choice(KINDS)
            directive = (
                f"{d + 1}/{kind[:2].upper()}-UBND",
                kind,
                issued.isoformat(),
                rng.choice(SIGNERS),
                f"Văn bản chỉ đạo số {d + 1} về {rng.choice(SUBJECTS)}",
                issued,
            )
        number, kind, issued_text, signer, title, issued = directive
        lead, *coordinating = rng.sample(codes, 1 + rng.choice((0, 0, 1, 2, 3)))
        assigned = issued + dt.timedelta(days=rng.randrange(0, 10))
        deadline = (
            assigned + dt.timedelta(days=rng.randrange(10, 120)) if rng.random() < 0.8 else None
        )
        status = rng.choice(states)
        completed = ""
        if status in ("completed", "awaiting_acceptance"):
            base = deadline or assigned + dt.timedelta(days=60)
            completed_on = base + dt.timedelta(days=rng.randrange(-20, 15))
            completed = max(completed_on, assigned).isoformat()
        subject = rng.choice(SUBJECTS)
        writer.writerow(
            [
                number,
                kind,
                issued_text,
                signer,
                title,
                f"{rng.choice(ACTIONS)} {subject} (nhiệm vụ {i + 1})",
                f"Thực hiện theo chỉ đạo của Chủ tịch UBND tỉnh về {subject}; báo cáo kết quả "
                "về Văn phòng UBND tỉnh.",
                lead,
                ";".join(coordinating),
                assigned.isoformat() if rng.random() < 0.7 else assigned.strftime("%d/%m/%Y"),
                deadline.isoformat() if deadline else "",
                status,
                completed,
            ]
        )
    return out.getvalue().encode("utf-8")
