"""A valid but hostile spec (keywords, builtins, pydantic attributes, dunders, digits, spaces,
non-ASCII, colliding names, dotted schema names, duplicate operationIds, path-like tags,
quotes, backslashes, Jinja and Python in text, recursion) generates safe, importable code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.config import make_target
from generator.pipeline import generate_target
from tests.conftest import REPO_ROOT

SPEC = REPO_ROOT / "tests" / "fixtures" / "hostile" / "openapi.yaml"


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    generate_target(make_target(SPEC, "hostile", root / "out", None, REPO_ROOT))
    assert [p.name for p in root.iterdir()] == ["out"], (
        "something was written outside the output folder"
    )
    return root / "out"


def run(output: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=output, capture_output=True, text=True, check=False
    )


def test_imports_without_warnings_and_no_field_is_lost(output: Path) -> None:
    script = (
        "from hostile import models\n"
        "fields = models.ModelConfig.model_fields\n"
        "aliases = sorted(f.alias or n for n, f in fields.items())\n"
        "print(aliases)\n"
        "m = models.ModelConfig.model_validate({'class': 'c', 'fooBar': 1 and 'a', "
        "'foo_bar': 'b', '__init__': 'i', '1st': 'f', 'with space': 's'})\n"
        "assert (m.foo_bar, m.foo_bar_1) == ('a', 'b')\n"
        "t = models.Tree.model_validate({'children': [{'children': []}], "
        "'partner': {'trees': [{'name': 'x'}]}})\n"
        "assert models.Tree.model_validate({'forest': 'oak'}).forest is models.TreeForest.OAK\n"
        "assert list(models.Forest.model_fields) == ['trees'], "
        "'the Forest schema keeps its class name'\n"
        "print('ok')\n"
    )
    result = run(output, "-W", "error", "-c", script)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines() == [
        "['1st', '__init__', 'café', 'class', 'copy', 'default', 'dict', 'fields', "
        "'fooBar', 'foo_bar', 'json', 'kind', 'model_config', 'schema', 'with space', "
        "'with-dash']",
        "ok",
    ]


def test_text_stays_text(output: Path) -> None:
    init = (output / "hostile" / "__init__.py").read_text(encoding="utf-8")
    assert "{{ 7 * 7 }}" in init and "49" not in init
    assert "__import__('os').system('true')" in init
    client = (output / "hostile" / "client.py").read_text(encoding="utf-8")
    assert 'Summary with \\"\\"\\" triple quotes' in client
    assert "    def import_(" in client and "    def import_2(" in client, (
        "duplicate operationIds get distinct methods"
    )
    assert "    ) -> models.Forest:\n" in client, (
        "an inline enum named like a schema does not take its class name"
    )


@pytest.mark.slow
def test_generated_package_is_typed_and_its_tests_pass(output: Path) -> None:
    mypy = run(output, "-m", "mypy", "--strict", "--no-incremental", "hostile", "tests")
    assert mypy.returncode == 0, mypy.stdout[-3000:]
    tests = run(output, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests")
    assert tests.returncode == 0, tests.stdout[-3000:]
