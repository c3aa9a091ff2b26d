"""A stored file sent as a download, the same way by the API and the pages: always as an
attachment under the name it was uploaded as, with the content type it was accepted as (by
its content) and `nosniff`, so that no browser renders an uploaded file as a page of this
site whatever bytes it holds."""

from django.db.models.fields.files import FieldFile
from django.http import FileResponse


def stored_file_download(file: FieldFile, *, name: str, content_type: str) -> FileResponse:
    response = FileResponse(
        file.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
    # Set here too, not only by SecurityMiddleware's setting: a download must not depend
    # on the settings the site is deployed with.
    response["X-Content-Type-Options"] = "nosniff"
    return response
