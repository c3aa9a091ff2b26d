"""A directive's files over the API: downloaded by whoever may read the directive (the
selectors' scope), never by the integration account (confined to the edXML views)."""

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.views import APIView

from config.common.downloads import stored_file_download
from config.common.users import signed_in_user
from directives.selectors import directive_file_visible_to
from tracker.permissions import TaskReaders
from tracker.services.attachments import ALLOWED


@extend_schema(tags=["directives"])
class DirectiveFileView(APIView):
    """Downloads a file of a directive (an edXML package's attachment), as it was received:
    404 when the directive is not one the caller may see or the file is not its own."""

    permission_classes = [TaskReaders]

    # The types a file is served as: those an attachment is accepted as (by its content).
    @extend_schema(
        operation_id="directives_files_retrieve",
        responses={(200, media): OpenApiTypes.BINARY for media in ALLOWED.values()},
    )
    def get(self, request: Request, pk: int, file_id: int) -> FileResponse:
        found = directive_file_visible_to(signed_in_user(request), pk).filter(pk=file_id).first()
        if found is None:
            raise NotFound
        return stored_file_download(found.file, name=found.name, content_type=found.content_type)
