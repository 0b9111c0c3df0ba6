"""Each generated package installs into a fresh virtual environment, passes
`mypy --strict`, and passes its own generated tests there."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.config import Target, load_targets
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.slow  # fresh virtual environments

TARGETS = load_targets(REPO_ROOT / "pyproject.toml")


def run(cmd: list[str], cwd: Path) -> None:
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    assert result.returncode == 0, (
        f"{' '.join(cmd)} failed in {cwd}:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    """A fresh venv with every generated package installed from a copy of its golden folder."""
    root = tmp_path_factory.mktemp("fresh")
    venv = root / "venv"
    run([sys.executable, "-m", "venv", str(venv)], root)
    copies = {}
    for target in TARGETS:
        copies[target.package] = shutil.copytree(
            target.output,
            root / target.package,
            ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"),
        )
    pip = [
        str(venv / "bin" / "python"),
        "-m",
        "pip",
        "install",
        "-q",
        "--disable-pip-version-check",
    ]
    run([*pip, *(f"{copy}[test]" for copy in copies.values()), "mypy"], root)
    return venv, copies


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.package)
def test_package_is_mypy_strict_clean(
    installed: tuple[Path, dict[str, Path]], target: Target
) -> None:
    venv, copies = installed
    run(
        [
            str(venv / "bin" / "mypy"),
            "--strict",
            "--no-incremental",
            "-p",
            target.package,
        ],
        venv,
    )
    run(
        [str(venv / "bin" / "mypy"), "--strict", "--no-incremental", "tests"],
        copies[target.package],
    )


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.package)
def test_package_passes_its_own_tests(
    installed: tuple[Path, dict[str, Path]], target: Target
) -> None:
    venv, copies = installed
    run(
        [str(venv / "bin" / "pytest"), "-q", "-p", "no:cacheprovider"],
        copies[target.package],
    )
