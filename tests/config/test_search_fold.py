"""The fold of search (config/common/search.py): the query's, in Python, is the columns',
in SQL (PostgreSQL's `dondoc_fold`, or the same Python function registered on SQLite), for
every Vietnamese letter with every tone, composed or decomposed."""

import sqlite3
import unicodedata

import pytest
from django.db import connection

from config.common.search import _register_sqlite_fold, search_fold

BASES = "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]  # huyền sắc ngã hỏi nặng
LETTERS = [unicodedata.normalize("NFC", base + tone) for base in BASES for tone in TONES]
SAMPLES = [
    " ".join(LETTERS),
    "Đất Đai  đất\tđai\n",
    unicodedata.normalize("NFD", "Quản lý đất đai và khoáng sản"),
    "45/CT-UBND ngày 12/3/2026: 100% hộ dân_",
]


def test_every_vietnamese_letter_folds_to_its_plain_ascii_letter():
    folded = search_fold(" ".join(LETTERS))
    assert folded == " ".join(unicodedata.normalize("NFD", x)[0].lower() for x in LETTERS)
    assert search_fold("Đất Đai  đất\tđai\n") == "dat dai dat dai"


@pytest.mark.django_db
@pytest.mark.parametrize("text", SAMPLES)
def test_postgresql_folds_as_python_does(text):
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT dondoc_fold(%s)", [text])
        assert cursor.fetchone()[0] == search_fold(text)


def test_sqlite_runs_the_python_fold():
    class Wrapper:
        vendor = "sqlite"
        connection = sqlite3.connect(":memory:")

    _register_sqlite_fold(None, Wrapper())
    for text in SAMPLES:
        assert Wrapper.connection.execute("SELECT dondoc_fold(?)", [text]).fetchone() == (
            search_fold(text),
        )
    assert Wrapper.connection.execute("SELECT dondoc_fold(NULL)").fetchone() == (None,)
