"""Running generated code apart from a package: a models module on its own, or a
script beside a generated package."""

from __future__ import annotations

import functools
import importlib.util
import os
import subprocess
import sys
import types
from pathlib import Path

from pydantic import BaseModel


@functools.cache
def runtime_base() -> types.ModuleType:
    """The runtime's `_base.py` (templates/{package}), for its string types."""
    path = Path(__file__).parents[1] / "templates" / "{package}" / "_base.py"
    spec = importlib.util.spec_from_file_location("specgen_standalone_base", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def import_models(source: str, name: str) -> types.ModuleType:
    """A models module's `source`, imported as `name` with a stand-in `pkg._base`:
    a bare pydantic model, no unknown members, and the runtime's string types."""
    base = types.ModuleType("pkg._base")
    base.ApiModel = type("ApiModel", (BaseModel,), {})  # type: ignore[attr-defined]
    base.unknown_member = lambda cls, value: None  # type: ignore[attr-defined]
    base.EmailStr = runtime_base().EmailStr  # type: ignore[attr-defined]
    base.UriStr = runtime_base().UriStr  # type: ignore[attr-defined]
    base.exactly_one_branch = runtime_base().exactly_one_branch  # type: ignore[attr-defined]
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
