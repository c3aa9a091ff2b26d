"""Search without diacritics: "dat dai", "Đất Đai" and "đất  đai" all find "đất đai".

Text is compared folded: without diacritics (đ → d), in lower case, runs of white space
made one space. The searched columns keep a folded copy of their text (a stored generated
column, `Folded`) under a trigram index (pg_trgm), so `LIKE '%…%'` on it is served by the
index; the query text is folded by `search_fold` here. On PostgreSQL the column's fold is
the SQL function `dondoc_fold` (unaccent, lower, spaces: tracker migration 0014); on
SQLite, in development, the same function name runs `search_fold`, registered on every
connection. Both agree on every Vietnamese letter (tests/config/test_search_fold.py)."""

import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.models import F, Func, Q, TextField
from django.utils.translation import gettext_lazy as _

FOLD_FUNCTION = "dondoc_fold"
SEARCH_MIN_LENGTH = 3
SEARCH_MAX_LENGTH = 200
# `validate_search_text` as a regular expression, for the API schema: three letters or
# digits, anything between them.
SEARCH_PATTERN = r"^(?:[\W_]*[^\W_]){3}"


def search_fold(text: str) -> str:
    """`text` without diacritics, in lower case, its white space runs made one space."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.replace("đ", "d").replace("Đ", "D").lower().split())


def validate_search_text(text: str) -> None:
    """A search needs three letters or digits: trigrams are made of them, and a text with
    fewer would be a scan of every row."""
    if sum(char.isalnum() for char in text) < SEARCH_MIN_LENGTH:
        raise ValidationError(
            _("Enter at least %(min)d letters or digits to search."),
            code="search_too_short",
            params={"min": SEARCH_MIN_LENGTH},
        )


class Folded(Func):
    """The folded text of one or more columns, joined by a space (a generated column's
    expression: `dondoc_fold(a || ' ' || b)`). The columns must be NOT NULL."""

    function = FOLD_FUNCTION
    arg_joiner = " || ' ' || "
    output_field = TextField()

    def __init__(self, *columns: str) -> None:
        super().__init__(*(F(column) for column in columns))


def folded_contains(column: str, text: str) -> Q:
    """Rows whose folded `column` contains `text` once folded."""
    return Q(**{f"{column}__contains": search_fold(text)})


def _register_sqlite_fold(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            FOLD_FUNCTION,
            1,
            lambda text: None if text is None else search_fold(text),
            deterministic=True,
        )


connection_created.connect(_register_sqlite_fold, dispatch_uid="dondoc_search_fold")
