"""Running generated code apart from a package: a models module on its own, or a
script beside a generated package."""

from __future__ import annotations

import os
import subprocess
import sys
import types
from pathlib import Path

from pydantic import BaseModel


def import_models(source: str, name: str) -> types.ModuleType:
    """A models module's `source`, imported as `name` with a stand-in `pkg._base`:
    a bare pydantic model, and no unknown members."""
    base = types.ModuleType("pkg._base")
    base.ApiModel = type("ApiModel", (BaseModel,), {})  # type: ignore[attr-defined]
    base.unknown_member = lambda cls, value: None  # type: ignore[attr-defined]
    module = types.ModuleType(name)
    stand_ins = {"pkg": types.ModuleType("pkg"), "pkg._base": base, name: module}
    sys.modules.update(stand_ins)
    try:
        exec(compile(source, name, "exec"), module.__dict__)
    finally:
        for key in stand_ins:
            del sys.modules[key]
    return module


def run_beside(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python *args` in `project`, which is on the import path (a generated package
    and the user scripts next to it)."""
    env = {**os.environ, "PYTHONPATH": str(project)}
    return subprocess.run(
        [sys.executable, *args],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
