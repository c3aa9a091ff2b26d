"""The task's actions (progress, completion, review, pause, resume, cancel, extensions) and
the files attached to reports. Every action goes through tracker.services.lifecycle."""

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.parsers import BoundedJSONParser
from config.common.downloads import stored_file_download
from config.common.users import signed_in_user
from tracker.api.serializers import (
    CompletionReportOutput,
    ExtensionRequestOutput,
    ProgressReportOutput,
    TaskOutput,
)
from tracker.api.validators import (
    CompletionReportInput,
    DecisionInput,
    ExtensionRequestInput,
    ProgressInput,
    ReasonInput,
)
from tracker.models import Attachment, ExtensionRequest, Task
from tracker.permissions import TaskReaders
from tracker.selectors.reports import (
    attachment_visible_to,
    completion_report_list,
    extension_request_visible_to,
    progress_report_list,
)
from tracker.services import lifecycle
from tracker.services.attachments import ALLOWED

UPLOAD_PARSERS = [MultiPartParser, FormParser, BoundedJSONParser]
# The actions whose task state may not allow them answer 409.
ACTION_ERRORS = {
    name: ["409"]
    for name in (
        "progress",
        "report_completion",
        "accept_completion",
        "return_completion",
        "pause",
        "resume",
        "cancel",
        "extension_requests",
        "approve",
        "reject",
    )
}


if TYPE_CHECKING:
    # What the viewset mixins are mixed into, told to the type checker only: at run time
    # they stay plain classes, and each viewset's bases are its own.
    ViewSetMixinBase = viewsets.GenericViewSet[Any]
else:
    ViewSetMixinBase = object


def _validated(serializer_class: type, request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class TaskActions(ViewSetMixinBase):
    """Mixed into the task viewset: each action looks the task up in the caller's scope
    (404), checks the caller's right (403) and the task's state (409) before the input."""

    if TYPE_CHECKING:  # the viewset's own

        def _task_output(self, task: Task, status_code: int = ...) -> Response: ...

    def _begin(self, action_name: str) -> Task:
        task = self.get_object()
        lifecycle.authorize(action_name, signed_in_user(self.request), task)
        return task

    def _state_change(
        self, action_name: str, service: Any, input_class: type | None = ReasonInput
    ) -> Response:
        task = self._begin(action_name)
        data = _validated(input_class, self.request) if input_class else {}
        task = service(task_id=task.pk, actor=signed_in_user(self.request), **data)
        return self._task_output(task)

    @extend_schema(methods=["POST"], request=ProgressInput, responses={201: ProgressReportOutput})
    @extend_schema(methods=["GET"], responses=ProgressReportOutput(many=True))
    @action(
        detail=True,
        methods=["get", "post"],
        permission_classes=[TaskReaders],
        parser_classes=UPLOAD_PARSERS,
        filterset_class=None,
    )
    def progress(self, request: Request, pk: str) -> Response:
        if request.method == "GET":
            return self._paginated(
                progress_report_list(task=self.get_object()), ProgressReportOutput
            )
        task = self._begin("progress")
        report = lifecycle.progress_report_create(
            task_id=task.pk, actor=signed_in_user(request), **_validated(ProgressInput, request)
        )
        return Response(
            ProgressReportOutput(report, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=CompletionReportInput, responses=TaskOutput)
    @action(
        detail=True,
        methods=["post"],
        url_path="report-completion",
        permission_classes=[TaskReaders],
        parser_classes=UPLOAD_PARSERS,
        filterset_class=None,
    )
    def report_completion(self, request: Request, pk: str) -> Response:
        task = self._begin("report_completion")
        lifecycle.completion_report_create(
            task_id=task.pk,
            actor=signed_in_user(request),
            **_validated(CompletionReportInput, request),
        )
        return self._task_output(task)

    @extend_schema(responses=CompletionReportOutput(many=True))
    @action(
        detail=True,
        methods=["get"],
        url_path="completion-reports",
        permission_classes=[TaskReaders],
        filterset_class=None,
    )
    def completion_reports(self, request: Request, pk: str) -> Response:
        return self._paginated(
            completion_report_list(task=self.get_object()), CompletionReportOutput
        )

    @extend_schema(request=None, responses=TaskOutput)
    @action(
        detail=True,
        methods=["post"],
        url_path="accept-completion",
        permission_classes=[TaskReaders],
        filterset_class=None,
    )
    def accept_completion(self, request: Request, pk: str) -> Response:
        return self._state_change(
            "accept_completion", lifecycle.completion_accept, input_class=None
        )

    @extend_schema(request=ReasonInput, responses=TaskOutput)
    @action(
        detail=True,
        methods=["post"],
        url_path="return",
        permission_classes=[TaskReaders],
        filterset_class=None,
    )
    def return_completion(self, request: Request, pk: str) -> Response:
        return self._state_change("return", lifecycle.completion_return)

    @extend_schema(request=ReasonInput, responses=TaskOutput)
    @action(detail=True, methods=["post"], permission_classes=[TaskReaders], filterset_class=None)
    def pause(self, request: Request, pk: str) -> Response:
        return self._state_change("pause", lifecycle.task_pause)

    @extend_schema(request=ReasonInput, responses=TaskOutput)
    @action(detail=True, methods=["post"], permission_classes=[TaskReaders], filterset_class=None)
    def resume(self, request: Request, pk: str) -> Response:
        return self._state_change("resume", lifecycle.task_resume)

    @extend_schema(request=ReasonInput, responses=TaskOutput)
    @action(detail=True, methods=["post"], permission_classes=[TaskReaders], filterset_class=None)
    def cancel(self, request: Request, pk: str) -> Response:
        return self._state_change("cancel", lifecycle.task_cancel)

    @extend_schema(
        methods=["POST"], request=ExtensionRequestInput, responses={201: ExtensionRequestOutput}
    )
    @extend_schema(methods=["GET"], responses=ExtensionRequestOutput(many=True))
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="extension-requests",
        permission_classes=[TaskReaders],
        filterset_class=None,
    )
    def extension_requests(self, request: Request, pk: str) -> Response:
        if request.method == "GET":
            task = self.get_object()
            return self._paginated(
                extension_request_visible_to(signed_in_user(request)).filter(task=task),
                ExtensionRequestOutput,
            )
        task = self._begin("request_extension")
        lifecycle.extension_request_check(task)
        extension = lifecycle.extension_request_create(
            task_id=task.pk,
            actor=signed_in_user(request),
            **_validated(ExtensionRequestInput, request),
        )
        return Response(ExtensionRequestOutput(extension).data, status=status.HTTP_201_CREATED)

    def _paginated(self, queryset: QuerySet, output_class: type) -> Response:
        page = self.paginate_queryset(queryset)
        context = self.get_serializer_context()
        return self.get_paginated_response(output_class(page, many=True, context=context).data)


@extend_schema(tags=["extension-requests"])
class ExtensionRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Extension requests of the tasks the caller may see; the office or the task's
    supervising leader approves or rejects a pending one."""

    permission_classes = [TaskReaders]
    queryset = ExtensionRequest.objects.none()
    serializer_class = ExtensionRequestOutput
    filterset_fields = ["status"]
    extra_error_codes = ACTION_ERRORS

    def get_queryset(self) -> QuerySet[ExtensionRequest]:
        return extension_request_visible_to(signed_in_user(self.request))

    def _decide(self, service: Any) -> Response:
        extension = self.get_object()
        actor = signed_in_user(self.request)
        lifecycle.authorize("decide_extension", actor, extension.task, subject=extension)
        lifecycle.extension_decision_check(extension)
        extension = service(
            request_id=extension.pk, actor=actor, **_validated(DecisionInput, self.request)
        )
        return Response(ExtensionRequestOutput(extension).data)

    @extend_schema(request=DecisionInput, responses=ExtensionRequestOutput)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        return self._decide(lifecycle.extension_approve)

    @extend_schema(request=DecisionInput, responses=ExtensionRequestOutput)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        return self._decide(lifecycle.extension_reject)


@extend_schema(tags=["attachments"])
class AttachmentViewSet(viewsets.GenericViewSet):
    """Downloads a report's file, for those who may read its task only."""

    permission_classes = [TaskReaders]
    queryset = Attachment.objects.none()

    def get_queryset(self) -> QuerySet[Attachment]:
        return attachment_visible_to(signed_in_user(self.request))

    # The types a file is served as: those an upload is accepted as (by its content).
    @extend_schema(responses={(200, media): OpenApiTypes.BINARY for media in ALLOWED.values()})
    def retrieve(self, request: Request, pk: str) -> FileResponse:
        attachment = self.get_object()
        return stored_file_download(
            attachment.file, name=attachment.original_name, content_type=attachment.content_type
        )
