"""What the benchmarks share besides their database: the subjects of the generated tasks,
the statement counter, EXPLAIN, and the printed table."""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

SUBJECTS = [
    "giải ngân vốn đầu tư công",
    "cải cách thủ tục hành chính",
    "chuyển đổi số trong cơ quan nhà nước",
    "phòng, chống thiên tai và tìm kiếm cứu nạn",
    "xóa nhà tạm, nhà dột nát",
    "an toàn thực phẩm trong dịp Tết Nguyên đán",
    "bồi thường, hỗ trợ, tái định cư",
    "quản lý đất đai và khoáng sản",
    "phát triển du lịch cộng đồng",
    "xây dựng nông thôn mới nâng cao",
    "tiêm chủng mở rộng cho trẻ em",
    "sắp xếp, tinh gọn tổ chức bộ máy",
]


@contextmanager
def counted() -> Iterator[list[tuple[str, Any]]]:
    """The SQL statements run inside the block, with their parameters (an execute_wrapper:
    no formatting cost)."""
    from django.db import connection

    statements: list[tuple[str, Any]] = []

    def count(execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any) -> Any:
        statements.append((sql, params))
        return execute(sql, params, many, ctx)

    with connection.execute_wrapper(count):
        yield statements


def explain(sql: str, params: Any, analyze: bool = False) -> str:
    from django.db import connection

    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if analyze else "EXPLAIN "
    with connection.cursor() as cursor:
        cursor.cursor.execute(prefix + sql, params)
        return "\n".join(row[0] for row in cursor.cursor.fetchall())


def print_table(header: Sequence[str], lines: Sequence[Sequence[str]]) -> None:
    widths = [max(len(row[i]) for row in (header, *lines)) for i in range(len(header))]
    for values in (header, *lines):
        print("  ".join(v.rjust(w) for v, w in zip(values, widths, strict=True)))
