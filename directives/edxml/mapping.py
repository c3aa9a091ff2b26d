"""An edXML document package's header as a directive's fields: which element gives which
field, the document type as the directive's kind (a data file), the lengths the model
holds. Every problem is named by the element it came from."""

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _

from config.common.search import search_fold
from config.common.text import excerpt
from directives.edxml.reading import EdxmlDocument, EdxmlInvalid
from directives.models import Directive, DirectiveKind, HigherBody

DOCUMENT_TYPES_FILE = Path(__file__).resolve().parent / "data" / "document_types.yaml"
M = "MessageHeader"

# The model's field each element fills, for the length the field holds.
_LENGTHS = {
    f"{M}/Code": "number",
    f"{M}/Subject": "title",
    f"{M}/SignerInfo/FullName": "signer",
    f"{M}/From/OrganName": "issuing_body",
    f"{M}/From/OrganId": "higher_organ_id",
    f"{M}/DocumentId": "external_id",
}


@cache
def document_types() -> tuple[dict[str, str], dict[str, str]]:
    """(kind by folded TypeName, kind by Type code), read once from the data file."""
    data = yaml.safe_load(DOCUMENT_TYPES_FILE.read_text(encoding="utf-8"))
    names = {search_fold(str(name)).strip(): str(kind) for name, kind in data["names"].items()}
    codes = {str(code): str(kind) for code, kind in data["codes"].items()}
    unknown = (set(names.values()) | set(codes.values())) - set(DirectiveKind.values)
    if unknown:  # pragma: no cover - the shipped file is checked by a test
        raise ValueError(f"{DOCUMENT_TYPES_FILE}: unknown kinds {sorted(unknown)}")
    return names, codes


def document_kind(type_code: str, type_name: str) -> str | None:
    names, codes = document_types()
    return names.get(search_fold(type_name).strip()) or codes.get(type_code.strip())


def directive_number(document: EdxmlDocument) -> str:
    """The number and symbol as Vietnamese documents write it: "12/CT-TTg"."""
    return f"{document.code_number}/{document.code_notation}"


def directive_fields(document: EdxmlDocument) -> dict[str, Any]:
    """The directive's fields (directive_create's keywords) from the package's header, or
    EdxmlInvalid naming each element whose value the directive cannot take. The sender is
    recorded as the body the directive reports back to (its kind `other` until the office
    says which: government, prime minister, ministry)."""
    kind = document_kind(document.type_code, document.type_name)
    fields: dict[str, Any] = {
        "number": directive_number(document),
        "kind": kind,
        "title": document.subject,
        "issued_on": document.promulgation_date,
        "signer": document.signer,
        "summary": document.content,
        "issuing_body": document.sender.name,
        "external_id": document.document_id,
        "default_deadline": document.due_date,
        "higher_body": HigherBody.OTHER,
        "higher_body_name": document.sender.name,
        "higher_number": directive_number(document),
        "higher_deadline": document.due_date,
        "higher_organ_id": document.sender.organ_id,
    }
    errors: dict[str, list[str]] = {}
    if kind is None:
        errors[f"{M}/DocumentType"] = [
            _("The document type “%(type)s” is not one a directive can be.")
            % {"type": excerpt(document.type_name or document.type_code)}
        ]
    for path, name in _LENGTHS.items():
        limit = getattr(Directive._meta.get_field(name), "max_length", None)
        if limit is not None and len(fields[name]) > limit:
            errors[path] = [
                _("At most %(limit)d characters (it has %(count)d).")
                % {"limit": limit, "count": len(fields[name])}
            ]
    if errors:
        raise EdxmlInvalid(errors)
    return fields
