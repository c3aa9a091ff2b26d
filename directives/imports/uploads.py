"""Receiving an import's upload (the API's and the web page's): a file over IMPORT_MAX_BYTES
is only counted, never stored whole, and then refused by its size (reading._open_limited)."""

from django.conf import settings
from django.core.files.uploadhandler import (
    FileUploadHandler,
    MemoryFileUploadHandler,
    TemporaryFileUploadHandler,
)
from django.http import HttpRequest


class CappedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Writes an upload to disk up to IMPORT_MAX_BYTES and only counts the rest: a file over
    the limit is then refused by its size, without filling the disk first."""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start <= settings.IMPORT_MAX_BYTES:
            self.file.write(raw_data)
        return None


def capped_upload_handlers(request: HttpRequest) -> list[FileUploadHandler]:
    """The handlers to set on `request.upload_handlers` before anything reads its body:
    small files in memory, larger ones on disk up to the limit."""
    return [MemoryFileUploadHandler(request), CappedTemporaryFileUploadHandler(request)]
