"""Golden files: generating every target reproduces `generated/` byte for byte.

When this fails on purpose (a template or spec changed), update the golden
files with the one command `specgen generate` and review the diff.
"""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.config import Target, load_targets
from generator.pipeline import generate_files
from tests.conftest import REPO_ROOT

TARGETS = load_targets(REPO_ROOT / "pyproject.toml")
IGNORED_PARTS = {"__pycache__", ".pytest_cache", ".mypy_cache", "build"}
UPDATE_HINT = "Run `specgen generate` (or `python -m generator generate`) to update the golden files, then review the diff."


def on_disk(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` except caches and build leftovers."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not IGNORED_PARTS & set(path.parts) and not any(p.endswith(".egg-info") for p in path.parts)
    }


def describe_drift(expected: dict[str, bytes], actual: dict[str, bytes]) -> list[str]:
    lines: list[str] = []
    for name in sorted(expected.keys() | actual.keys()):
        if name not in actual:
            lines.append(f"missing: {name}")
        elif name not in expected:
            lines.append(f"not generated any more: {name}")
        elif expected[name] != actual[name]:
            diff = difflib.unified_diff(
                actual[name].decode("utf-8", "replace").splitlines(),
                expected[name].decode("utf-8", "replace").splitlines(),
                f"golden/{name}", f"generated/{name}", lineterm="", n=2,
            )
            lines.extend(list(diff)[:60])
    return lines


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.package)
def test_generated_output_matches_golden_files(target: Target) -> None:
    drift = describe_drift(generate_files(target), on_disk(target.output))
    assert not drift, "\n".join([f"{target.output.relative_to(REPO_ROOT)} drifted from its spec:", *drift, "", UPDATE_HINT])


def test_output_is_deterministic_across_processes(tmp_path: Path) -> None:
    """Hash seeds and working folders must not change a single byte."""
    target = TARGETS[0]
    outputs = []
    for seed in ("1", "4242"):
        run_dir = tmp_path / f"run{seed}"
        run_dir.mkdir()
        (run_dir / "pyproject.toml").write_text(
            f'[[tool.specgen.targets]]\nspec = "{target.spec.as_posix()}"\npackage = "{target.package}"\noutput = "out"\n'
        )
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "generator", "generate"], cwd=run_dir, env=env, check=True, capture_output=True)
        outputs.append(on_disk(run_dir / "out"))
    assert outputs[0] == outputs[1]
