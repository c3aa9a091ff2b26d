"""Every operation documents the errors it can answer, so the served schema is complete
(schemathesis holds each response against it)."""

from typing import Any, Literal

from drf_spectacular import openapi
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class ErrorDetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


VALIDATION_ERROR = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Bad input: each failing field (or query parameter) with its messages.",
)


def _not_empty(schema: dict[str, Any]) -> dict[str, Any]:
    """A query parameter's schema refusing the empty string, as the server does
    (config.api.filters.FilterBackend, the pagination, the query serializers)."""
    if "oneOf" in schema:
        return {**schema, "oneOf": [_not_empty(variant) for variant in schema["oneOf"]]}
    if schema.get("type") == "string" and "enum" not in schema and "minLength" not in schema:
        return {**schema, "minLength": 1}
    if schema.get("type") == "array" and "minItems" not in schema:
        return {**schema, "minItems": 1}  # `?ordering=` is an empty list: refused too
    return schema


class AutoSchema(openapi.AutoSchema):
    def _get_parameters(self) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super()._get_parameters()
        return [
            {**p, "schema": _not_empty(p["schema"])}
            if p.get("in") == "query" and isinstance(p.get("schema"), dict)
            else p
            for p in parameters
        ]

    def get_auth(self) -> list[dict]:
        auths = super().get_auth()
        if not self.view.get_permissions() and {} not in auths:
            auths.append({})  # no permission to pass (sign-in): anonymous callers are welcome
        return auths

    def _error_codes(self) -> list[str]:
        codes = ["400"]
        if not any(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            codes += ["401", "403"]
        if "{" in self.path or self._is_list_view():
            codes.append("404")  # unknown or hidden object; a page past the end
        extra = getattr(self.view, "extra_error_codes", {})  # by method or by action name
        codes += extra.get(self.method, []) + extra.get(getattr(self.view, "action", None), [])
        return codes

    def _get_response_bodies(
        self, direction: Literal["request", "response"] = "response"
    ) -> dict[str, Any]:
        bodies = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in bodies:
                response = VALIDATION_ERROR if code == "400" else ErrorDetailSerializer
                bodies[code] = self._get_response_for_code(response, code, direction=direction)
        return bodies
