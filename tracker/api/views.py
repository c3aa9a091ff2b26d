from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from config.common.users import signed_in_user
from tracker.api.concurrency import expected_version
from tracker.api.filters import TaskFilter
from tracker.api.lifecycle import ACTION_ERRORS, TaskActions, ViewSetMixinBase
from tracker.api.serializers import DepartmentOutput, TaskHistoryOutput, TaskOutput, UserOutput
from tracker.api.validators import DepartmentInput, TaskFieldsInput, TaskInput, UserInput
from tracker.models import Department, Task, User
from tracker.permissions import IsOffice, ReadAllWriteOffice, TaskReadersWriteOffice
from tracker.selectors.directory import department_list, user_list
from tracker.selectors.tasks import due_soon_limit, local_today, task_history_list, task_visible_to
from tracker.services.departments import department_create, department_update
from tracker.services.tasks import task_create, task_update
from tracker.services.users import user_change_check, user_create, user_update


def etag_header(status_code: int) -> OpenApiParameter:
    """The `ETag` a task answer carries: on its success response only (errors have none)."""
    return OpenApiParameter(
        "ETag",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=[status_code],
        required=True,
        pattern=r'^"task-[0-9]+-v[0-9]+"$',
        description="The task's version; send it back in If-Match when you update the task.",
    )


IF_MATCH_HEADER = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The ETag you read. A stale one answers 412 and changes nothing.",
)


class ListCreateRetrieveUpdate(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """List and read with the output serializer; create and update through services."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    input_class: type
    output_class: type

    def get_serializer_class(self) -> type:
        return self.output_class

    def _validated(self, instance: Any = None, partial: bool = False) -> dict[str, Any]:
        serializer = self.input_class(
            instance, data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _output(self, instance: Any, status_code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(instance).data, status=status_code)


class TaskOverlayContext(ViewSetMixinBase):
    """Today and the due-soon limit, computed once per request for the task overlays."""

    def get_serializer_context(self) -> dict[str, Any]:
        today = local_today()
        overlays = {"today": today, "due_soon_limit": due_soon_limit(today)}
        return {**super().get_serializer_context(), **overlays}


@extend_schema(tags=["users"])
class UserViewSet(ListCreateRetrieveUpdate):
    """Users and their roles; the office manages them. `me` is the signed-in user."""

    permission_classes = [IsOffice]
    queryset = User.objects.none()
    input_class = UserInput
    output_class = UserOutput

    def get_queryset(self) -> QuerySet:
        return user_list()

    @extend_schema(request=UserInput, responses={201: UserOutput})
    def create(self, request: Request) -> Response:
        user = user_create(**self._validated())
        return self._output(user, status.HTTP_201_CREATED)

    @extend_schema(request=UserInput, responses=UserOutput)
    def partial_update(self, request: Request, pk: str) -> Response:
        user = self.get_object()
        actor = signed_in_user(request)
        user_change_check(actor=actor, user=user)  # the right (403) before the input (400)
        data = self._validated(user, partial=True)
        return self._output(user_update(actor=actor, user=user, data=data))

    @extend_schema(responses=UserOutput)
    @action(detail=False, methods=["get"], permission_classes=[IsAuthenticated])
    def me(self, request: Request) -> Response:
        return self._output(request.user)


@extend_schema(tags=["departments"])
class DepartmentViewSet(ListCreateRetrieveUpdate):
    """Departments (sở, ban, ngành; UBND xã, phường): everyone reads, the office writes."""

    permission_classes = [ReadAllWriteOffice]
    queryset = Department.objects.none()
    input_class = DepartmentInput
    output_class = DepartmentOutput

    def get_queryset(self) -> QuerySet:
        return department_list()

    @extend_schema(request=DepartmentInput, responses={201: DepartmentOutput})
    def create(self, request: Request) -> Response:
        return self._output(department_create(**self._validated()), status.HTTP_201_CREATED)

    @extend_schema(request=DepartmentInput, responses=DepartmentOutput)
    def partial_update(self, request: Request, pk: str) -> Response:
        department = self.get_object()
        data = self._validated(department, partial=True)
        return self._output(department_update(department=department, data=data))


@extend_schema(tags=["tasks"])
class TaskViewSet(TaskOverlayContext, TaskActions, ListCreateRetrieveUpdate):
    """Tasks the caller may see: all for the office and leaders, those a department leads
    or coordinates for its members. The office writes; send the `ETag` back in `If-Match`."""

    permission_classes = [TaskReadersWriteOffice]
    filterset_class = TaskFilter
    queryset = Task.objects.none()
    input_class = TaskInput
    output_class = TaskOutput
    extra_error_codes = {"PATCH": ["412"], **ACTION_ERRORS}

    def get_queryset(self) -> QuerySet[Task]:
        return task_visible_to(signed_in_user(self.request))

    def _task_output(self, task: Task, status_code: int = status.HTTP_200_OK) -> Response:
        """The task as a write left it: read again in the caller's scope, with the related
        rows the answer shows (a write may have changed them)."""
        return self._task_answer(self.get_queryset().get(pk=task.pk), status_code)

    def _task_answer(self, task: Task, status_code: int = status.HTTP_200_OK) -> Response:
        response = self._output(task, status_code)
        response["ETag"] = task.etag
        return response

    @extend_schema(
        request=TaskInput,
        responses={201: OpenApiResponse(TaskOutput)},
        parameters=[etag_header(201)],
    )
    def create(self, request: Request) -> Response:
        task = task_create(actor=signed_in_user(request), **self._validated())
        return self._task_output(task, status.HTTP_201_CREATED)

    @extend_schema(parameters=[etag_header(200)])
    def retrieve(self, request: Request, pk: str) -> Response:
        # get_object() read the task and its related rows in the caller's scope: answer
        # with them, not with a second read.
        return self._task_answer(self.get_object())

    @extend_schema(
        request=TaskFieldsInput,
        responses=TaskOutput,
        parameters=[IF_MATCH_HEADER, etag_header(200)],
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        task = self.get_object()
        version = expected_version(request, task)
        serializer = TaskFieldsInput(task, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        task = task_update(
            task_id=task.pk,
            actor=signed_in_user(request),
            data=serializer.validated_data,
            expected_version=version,
        )
        return self._task_output(task)

    @extend_schema(responses=TaskHistoryOutput(many=True), filters=False)
    @action(detail=True, methods=["get"], filterset_class=None)
    def history(self, request: Request, pk: str) -> Response:
        entries = task_history_list(task=self.get_object())
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(TaskHistoryOutput(page, many=True).data)
