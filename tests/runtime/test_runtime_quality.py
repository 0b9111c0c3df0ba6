"""The runtime is held to library standards: ruff's lint and format, `mypy --strict`.

The settings are given here in full (`--isolated`, an empty mypy config), so no
configuration file of the repository or the machine changes what is checked.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

RUNTIME_DIR = Path(__file__).resolve().parents[2] / "templates" / "{package}"
RUNTIME_MODULES = sorted(RUNTIME_DIR.glob("*.py"))
"""The runtime's modules, as conftest.py copies them into `specgen_runtime`."""
PYTHON_VERSION = "3.11"
"""The oldest Python the generated packages support (their `requires-python`)."""
LINE_LENGTH = "88"
RUFF_RULES = "E,F,W,I,UP,B,SIM,RUF,C4,PIE,PERF,RET,N,S,BLE"
RUFF_IGNORED = "S101"
"""specgen's own rules (pyproject.toml) and more: `assert` states invariants."""
RUFF_SETTINGS = [
    "--isolated",
    "--no-cache",
    "--line-length",
    LINE_LENGTH,
    "--target-version",
    "py311",
]


def run(*command: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *command],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def test_there_is_a_runtime_to_check() -> None:
    names = {module.name for module in RUNTIME_MODULES}
    assert {
        "_base.py",
        "_base_client.py",
        "_endpoint.py",
        "errors.py",
        "response.py",
        "retries.py",
        "timeouts.py",
    } <= names


def test_ruff_check() -> None:
    paths = [str(module) for module in RUNTIME_MODULES]
    result = run(
        "ruff",
        "check",
        *RUFF_SETTINGS,
        "--select",
        RUFF_RULES,
        "--ignore",
        RUFF_IGNORED,
        "--output-format",
        "concise",
        *paths,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format() -> None:
    """Formatted already, so formatting a generated package leaves them as they are."""
    paths = [str(module) for module in RUNTIME_MODULES]
    result = run("ruff", "format", "--check", "--diff", *RUFF_SETTINGS, *paths)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow  # mypy --strict takes seconds
def test_mypy_strict(runtime_package: Path, tmp_path: Path) -> None:
    """As a package, as generated packages hold them: they may import each other."""
    empty_config = tmp_path / "mypy.ini"
    empty_config.write_text("[mypy]\n")
    result = run(
        "mypy",
        "--config-file",
        str(empty_config),
        "--strict",
        "--python-version",
        PYTHON_VERSION,
        "--no-incremental",
        "--cache-dir",
        os.devnull,
        "-p",
        runtime_package.name,
        cwd=runtime_package.parent,
    )
    assert result.returncode == 0, result.stdout + result.stderr
