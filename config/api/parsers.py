"""JSON request bodies within bounds. Their size: DRF reads a JSON body through Django's
`request.body`, which refuses one over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB unless set) with
a 400. Their depth: at most JSON_MAX_DEPTH levels of nesting, since Python's JSON reader
recurses once per level, so a 2 KB body of a thousand brackets would exhaust the
interpreter's stack (a 500); such a body is a 400 before it is read."""

import codecs
import re
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser, JSONParser
from rest_framework.utils import json

JSON_MAX_DEPTH = 32  # the deepest contract body (a directive's tasks' lists) has 3 levels

# A JSON string (escapes included) or a bracket: the strings are matched whole so that
# brackets inside them do not count.
_STRING_OR_BRACKET = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def json_depth_exceeds(text: str, limit: int) -> bool:
    """Whether the nesting of `text` goes deeper than `limit` (read in C by the regex
    engine, without recursion; malformed text is left to the JSON reader)."""
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                return True
        elif token in "]}":
            depth -= 1
    return False


class BoundedJSONParser(JSONParser):
    def parse(
        self,
        stream: IO[bytes] | None,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        raw = stream.read() if stream is not None else b""
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.decode(raw, encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(
                _("The request body is not valid %(encoding)s text.") % {"encoding": encoding}
            ) from exc
        if json_depth_exceeds(text, JSON_MAX_DEPTH):
            raise ParseError(
                _("The JSON body is nested deeper than %(limit)d levels.")
                % {"limit": JSON_MAX_DEPTH}
            )
        parse_constant = json.strict_constant if self.strict else None
        try:
            return json.loads(text, parse_constant=parse_constant)
        except ValueError as exc:
            raise ParseError(_("JSON parse error - %(detail)s") % {"detail": exc}) from exc


class BoundedXMLParser(BaseParser):
    """An XML body (an edXML package) handed to the view as its bytes, unparsed: the view's
    reader parses it safely. At most settings.EDXML_MAX_BYTES are read; a longer body is a
    400 before the rest is read."""

    media_type = "application/xml"

    def parse(
        self,
        stream: IO[bytes] | None,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:  # bytes, which DRF's stubs do not allow a body to be
        limit = settings.EDXML_MAX_BYTES
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise ParseError(
                _("The request body is larger than %(max)s.") % {"max": filesizeformat(limit)}
            )
        return raw


class BoundedTextXMLParser(BoundedXMLParser):
    """The same body sent as `text/xml`, the other media type XML is sent as."""

    media_type = "text/xml"
