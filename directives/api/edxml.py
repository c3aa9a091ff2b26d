"""edXML over the API: a directive received as a document package, and the status package
reporting back to its sender. The office and the integration account (another system's,
confined to these views) call them."""

from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.parsers import BoundedTextXMLParser, BoundedXMLParser
from config.api.schema import ErrorDetailSerializer
from config.common.users import signed_in_user
from directives.api.serializers import DirectiveOutput
from directives.edxml.reporting import directive_status_report
from directives.edxml.service import directive_receive_edxml
from directives.edxml.status import directive_has_status_package, directive_status_package
from directives.models import Directive
from directives.selectors import directive_edxml_visible_to
from tracker.permissions import user_is_office, user_reads_tasks

XML = "application/xml"


def _integration(user: Any) -> bool:
    return bool(user and user.is_authenticated and getattr(user, "is_integration", False))


class OfficeOrIntegration(BasePermission):
    """The office, or the integration account."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return user_is_office(request.user) or _integration(request.user)


class TaskReadersOrIntegration(BasePermission):
    """Whoever reads directives (what each sees: the selectors), or the integration account
    (the directives received by edXML); only the office reports a status to the sender."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method not in SAFE_METHODS:
            return user_is_office(request.user)
        return user_reads_tasks(request.user) or _integration(request.user)


class StatusReportOutput(serializers.Serializer[Any]):
    deliveries = serializers.IntegerField(
        help_text=gettext_lazy("The deliveries recorded: one per endpoint receiving it.")
    )


class EdxmlReceiptOutput(DirectiveOutput):
    """The directive the package is, and why nothing new was created when it was received
    before (`note`, empty when it was created now)."""

    note = serializers.SerializerMethodField(
        help_text=gettext_lazy("Why nothing new was created; empty when the directive is new.")
    )

    class Meta(DirectiveOutput.Meta):
        fields = [*DirectiveOutput.Meta.fields, "note"]

    def get_note(self, directive: Directive) -> str:
        return str(self.context.get("note", ""))


@extend_schema(tags=["directives"])
class DirectiveEdxmlView(APIView):
    """Receive a directive as an edXML package (QCVN 102:2016): the package's XML as the
    body, its attachments base64-encoded inside it. 201: the directive created with its
    files; 200: the same document was received before (its DocumentId, or its number in
    its issue year), nothing new was created; 400: what is wrong, by element path."""

    permission_classes = [OfficeOrIntegration]
    parser_classes = [BoundedXMLParser, BoundedTextXMLParser]
    integration_allowed = True

    @extend_schema(
        operation_id="directives_edxml_create",
        request={XML: OpenApiTypes.STR, "text/xml": OpenApiTypes.STR},
        responses={
            201: EdxmlReceiptOutput,
            200: EdxmlReceiptOutput,
            400: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="Each element path (or `package`, `AttachmentEncoded`) with what "
                "is wrong with it.",
            ),
        },
    )
    def post(self, request: Request) -> Response:
        package = request.data
        if not isinstance(package, bytes) or not package:
            raise ParseError(_("Send the edXML package as the body (application/xml)."))
        user = signed_in_user(request)
        receipt = directive_receive_edxml(actor=user, package=package)
        directive = directive_edxml_visible_to(user).get(pk=receipt.directive.pk)
        output = EdxmlReceiptOutput(
            directive, context={"request": request, "note": receipt.note}
        ).data
        code = status.HTTP_201_CREATED if receipt.created else status.HTTP_200_OK
        return Response(output, status=code)


@extend_schema(tags=["directives"])
class DirectiveEdxmlStatusView(APIView):
    """The edXML status package of a directive received by edXML, reporting its progress
    to the sender: ResponseFor the original document, the status code (03 accepted, 04
    assigned, 05 in progress, 06 completed) and its description with the task counts."""

    permission_classes = [TaskReadersOrIntegration]
    integration_allowed = True

    @extend_schema(
        operation_id="directives_edxml_status_retrieve",
        responses={
            (200, XML): OpenApiResponse(OpenApiTypes.STR, description="The status package."),
            404: ErrorDetailSerializer,
        },
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        package = directive_status_package(self._directive(request, pk))
        return HttpResponse(package, content_type=XML)

    @extend_schema(
        operation_id="directives_edxml_status_report",
        request=None,
        responses={
            202: StatusReportOutput,
            403: ErrorDetailSerializer,
            404: ErrorDetailSerializer,
            409: ErrorDetailSerializer,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        """The office reports the directive's current status to its sender now: the package
        goes out to every webhook endpoint registered for `directive.status` (the document
        exchange), with the deliveries' retries. 409 when no endpoint is registered for it.
        The completed status also goes out by itself once every task is completed."""
        deliveries = directive_status_report(self._directive(request, pk))
        return Response(StatusReportOutput({"deliveries": deliveries}).data, status=202)

    def _directive(self, request: Request, pk: int) -> Directive:
        directive = directive_edxml_visible_to(signed_in_user(request)).filter(pk=pk).first()
        if directive is None:
            raise NotFound
        if not directive_has_status_package(directive):
            raise NotFound(_("This directive was not received by edXML: it has no status package."))
        return directive
