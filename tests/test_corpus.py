"""Real-world scale: Qovery's complete public spec (tests/data/corpus/qovery-openapi.yaml)
generates a complete, importable package."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.config import make_target
from generator.pipeline import generate_target
from tests.conftest import DATA_DIR, REPO_ROOT
from tests.judgements import disagreements

pytestmark = pytest.mark.slow  # the full Qovery corpus

CORPUS = DATA_DIR / "corpus" / "qovery-openapi.yaml"
"""Qovery's published OpenAPI document, vendored (see tests/data/README.md)."""
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "qovery"
    generate_target(make_target(CORPUS, "qovery", out, None, REPO_ROOT))
    return out


def test_every_operation_and_schema_is_present(package: Path) -> None:
    import yaml

    spec = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    operations = sum(
        1
        for item in spec["paths"].values()
        for method in HTTP_METHODS
        if method in item
    )
    client = ast.parse((package / "qovery" / "client.py").read_text(encoding="utf-8"))

    def is_resource(c: ast.ClassDef) -> bool:
        """A resource by tag (`client.jobs`), sync and not raw."""
        return any(
            isinstance(b, ast.Attribute) and b.attr == "Resource" for b in c.bases
        )

    classes_with_methods = [
        c
        for c in client.body
        if isinstance(c, ast.ClassDef) and (c.name == "Client" or is_resource(c))
    ]
    methods = [
        n
        for c in classes_with_methods
        for n in c.body
        if isinstance(n, ast.FunctionDef)
        and not n.name.startswith("_")
        and not any(  # resources, and the typed signatures of an implementation
            isinstance(d, ast.Name) and d.id in ("cached_property", "overload")
            for d in n.decorator_list
        )
    ]
    assert len(classes_with_methods) > 50  # grouped by tag: no 554-method class
    # A text or binary success has a streamed variant beside its method.
    said = "Streamed, for large downloads and endless streams"
    streamed = [m.name for m in methods if said in (ast.get_docstring(m) or "")]
    plain = [m.name for m in methods if m.name not in streamed]
    assert len(plain) == len(set(plain)) == operations == 554
    # The YAML, Terraform zip and helm values answers (text and bytes).
    assert len(streamed) == 4
    modules = sorted((package / "qovery" / "models").glob("*.py"))  # split: 900 classes
    classes = {
        c.name
        for module in modules
        for c in ast.parse(module.read_text(encoding="utf-8")).body
        if isinstance(c, ast.ClassDef)
    }
    missing = [name for name in spec["components"]["schemas"] if name not in classes]
    assert len(spec["components"]["schemas"]) == 724 and missing == []


def test_every_case_judgement_agrees_with_python_jsonschema(package: Path) -> None:
    data = json.loads(
        (package / "tests" / "validation_cases.json").read_text(encoding="utf-8")
    )
    assert len(data["cases"]) > 9_000
    assert disagreements(data) == []


def test_package_imports_without_warnings_and_a_client_calls_through(
    package: Path,
) -> None:
    script = """
import asyncio, sys, httpx, qovery
qovery.Client()
# Importing the package and creating a client loads neither the models nor the async client.
assert "qovery.models" not in sys.modules, sorted(sys.modules)
assert "qovery.async_client" not in sys.modules, sorted(sys.modules)
from qovery import models
def answer(request):
    return httpx.Response(200, json={"results": []})
client = qovery.Client(
    http_client=httpx.Client(transport=httpx.MockTransport(answer)),
    auth=qovery.BearerAuth("t"),
)
try:
    client.organization_main_calls.list_organization()
except qovery.ClientError as error:
    print("typed", type(error).__name__)
async def main():
    transport = httpx.MockTransport(answer)
    async with qovery.AsyncClient(http_client=httpx.AsyncClient(transport=transport)) as c:
        try:
            await c.organization_main_calls.list_organization()
        except qovery.ClientError as error:
            print("typed", type(error).__name__)
asyncio.run(main())
print("ok")
"""
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", script],
        cwd=package,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("ok")
