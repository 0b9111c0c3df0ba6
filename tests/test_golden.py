"""Golden files: generating every target reproduces `generated/` byte for byte.

When this fails on purpose (a template or spec changed), update the golden
files with the one command `specgen generate` and review the diff.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.config import Target, load_targets
from generator.output.drift import drift
from tests.conftest import REPO_ROOT

TARGETS = load_targets(REPO_ROOT / "pyproject.toml")
UPDATE_HINT = (
    "Run `specgen generate` (or `python -m generator generate`) to update the golden files, "
    "then review the diff."
)


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.package)
def test_generated_output_matches_golden_files(target: Target) -> None:
    found = drift(target)
    lines = [
        line
        for item in found
        for line in [item.summary, *item.unified_diff(context=2)[:60]]
    ]
    assert not found, "\n".join(
        [
            f"{target.output.relative_to(REPO_ROOT)} drifted from its spec:",
            *lines,
            "",
            UPDATE_HINT,
        ]
    )


def on_disk(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_output_is_deterministic_across_processes(tmp_path: Path) -> None:
    """Hash seeds and working folders must not change a single byte."""
    target = TARGETS[0]
    outputs = []
    for seed in ("1", "4242"):
        run_dir = tmp_path / f"run{seed}"
        run_dir.mkdir()
        (run_dir / "pyproject.toml").write_text(
            f'[[tool.specgen.targets]]\nspec = "{target.spec.as_posix()}"\n'
            f'package = "{target.package}"\noutput = "out"\n'
        )
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "generator", "generate"],
            cwd=run_dir,
            env=env,
            check=True,
            capture_output=True,
        )
        outputs.append(on_disk(run_dir / "out"))
    assert outputs[0] == outputs[1]


@pytest.mark.slow
@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.package)
def test_black_formats_the_same_code_as_ruff(target: Target, tmp_path: Path) -> None:
    """`formatter = "black"`: every Python file passes `black --check` and is the ruff
    output's syntax tree."""
    import ast
    import dataclasses

    from generator.pipeline import generate_files

    with_ruff = generate_files(target).files
    with_black = generate_files(dataclasses.replace(target, formatter="black")).files
    assert with_black.keys() == with_ruff.keys()
    python = sorted(name for name in with_black if name.endswith(".py"))
    for name in python:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(with_black[name])
        assert ast.dump(ast.parse(with_black[name])) == ast.dump(
            ast.parse(with_ruff[name])
        ), name
    checked = subprocess.run(
        [
            sys.executable,
            "-m",
            "black",
            "--check",
            "--quiet",
            "--target-version",
            "py311",
            ".",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    assert any(with_black[name] != with_ruff[name] for name in python) or python
