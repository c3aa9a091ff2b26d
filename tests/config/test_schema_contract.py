"""The served OpenAPI schema is the contract: it lists every endpoint of API.md (issue 2's
part of it), it is served to anyone, and it generates without warnings."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from tests.config.schema_support import ISSUE_2_PATH, SCHEMA_URL

ROOT = Path(__file__).resolve().parents[2]


API_MD = Path(__file__).resolve().parents[3] / "shared/spec/API.md"


# --- the schema covers the contract ----------------------------------------------------


def contract_endpoints() -> set[tuple[str, str]]:
    if not API_MD.is_file():
        pytest.fail(
            f"The contract {API_MD} is not there: this test reads its endpoint list "
            "(shared/spec/API.md next to the repository)."
        )
    text = API_MD.read_text(encoding="utf-8")
    section = text.split("## Endpoint list", 1)
    if len(section) != 2:
        pytest.fail(f"{API_MD} has no '## Endpoint list' section")
    block = re.search(r"```\n(.*?)```", section[1], re.DOTALL)
    if block is None:
        pytest.fail(f"{API_MD}: no code block under '## Endpoint list'")
    endpoints = set()
    for line in block.group(1).splitlines():
        if line.strip():
            method, path = line.split()
            endpoints.add((method.upper(), path))
    return endpoints


def served_schema() -> dict:
    response = APIClient().get(SCHEMA_URL, {"format": "json"})
    assert response.status_code == 200, response.content[:500]
    return response.json()


def test_served_schema_lists_every_issue_2_endpoint_of_the_contract():
    expected = {(m, p) for m, p in contract_endpoints() if ISSUE_2_PATH.match(p)}
    assert len(expected) == 19, sorted(expected)  # the list itself is what we think it is
    served = {
        (method.upper(), path)
        for path, operations in served_schema()["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    }
    missing = sorted(expected - served)
    assert not missing, f"endpoints of API.md missing from the served schema: {missing}"


def test_schema_and_docs_are_served_to_anyone():
    client = APIClient()
    schema_response = client.get(SCHEMA_URL)
    assert schema_response.status_code == 200
    assert served_schema()["openapi"].startswith("3.")
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert docs["Content-Type"].startswith("text/html")


def test_schema_generates_without_warnings_or_errors(tmp_path: Path):
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "spectacular",
            "--validate",
            "--fail-on-warn",
            "--file",
            str(tmp_path / "schema.yaml"),
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert not re.search(r"\b(Warning|Error)\b", result.stderr), result.stderr
