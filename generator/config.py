"""Generation targets, from `[tool.specgen]` in pyproject.toml or from the command line."""

from __future__ import annotations

import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.naming import PythonIdentifier
from generator.output.formatting import FORMATTERS, Formatter


class ConfigError(Exception):
    """The project configuration is unusable; the message is one line for the user."""


DEPENDENCY_MODULES = frozenset(
    {
        # what a generated package imports at run time, and what those import
        "httpx", "httpcore", "h11", "anyio", "sniffio", "idna", "certifi", "pydantic",
        "pydantic_core", "annotated_types", "typing_extensions", "typing_inspection",
        "email_validator", "dns",
        # what its tests import, the folder they live in and their shared module
        "tests", "conftest", "pytest", "_pytest", "pluggy", "hypothesis", "hypothesis_jsonschema",
        "jsonschema", "jsonschema_specifications", "referencing", "rpds",
    }
)  # fmt: skip
"""Modules a generated package needs: one named like them would be imported in their place."""


def shadowed_module(package: str) -> str:
    """What a package named `package` would hide when imported, or ""."""
    if package in sys.stdlib_module_names:
        return f"the standard library module {package!r}"
    if package in DEPENDENCY_MODULES:
        return f"{package!r}, which generated packages or their tests import"
    return ""


@dataclass(frozen=True)
class Target:
    """One spec to turn into one generated package."""

    spec: Path
    package: str
    output: Path
    templates: Path | None
    spec_label: str
    """The spec's path as generated headers show it: relative, POSIX, machine-independent."""
    formatter: Formatter = "ruff"
    """What formats the generated Python: ruff (the default) or black."""
    ref_roots: tuple[Path, ...] = ()
    """Folders besides the spec's own that its `$ref`s may read (`--allow-refs-from`)."""

    @property
    def distribution(self) -> str:
        return self.package.replace("_", "-")


def _label(spec: Path, root: Path) -> str:
    try:
        return spec.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return spec.name


def make_target(
    spec: Path,
    package: str,
    output: Path,
    templates: Path | None,
    root: Path,
    formatter: str = "ruff",
    ref_roots: tuple[Path, ...] = (),
) -> Target:
    """A target with paths resolved against `root`, a valid package name and formatter."""
    if formatter not in FORMATTERS:
        raise ConfigError(
            f"formatter {formatter!r} is not one of {', '.join(FORMATTERS)}"
        )
    shadowed = shadowed_module(package)
    if shadowed:
        raise ConfigError(
            f"package name {package!r} would shadow {shadowed} (try {package + '_client'!r})"
        )
    if PythonIdentifier(package) != package:
        raise ConfigError(
            f"package name {package!r} is not a valid Python identifier "
            f"(try {PythonIdentifier(package)!r})"
        )

    def resolve(path: Path) -> Path:
        return path if path.is_absolute() else root / path

    return Target(
        resolve(spec),
        package,
        resolve(output),
        resolve(templates) if templates else None,
        _label(resolve(spec), root),
        formatter,
        tuple(resolve(folder) for folder in ref_roots),
    )


def find_project_file(start: Path) -> Path:
    """The nearest pyproject.toml with a `[tool.specgen]` table, from `start` upwards."""
    for folder in [start, *start.parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and "specgen" in _read(candidate).get("tool", {}):
            return candidate
    raise ConfigError(
        f"no pyproject.toml with a [tool.specgen] table in {start} or above; "
        "pass --spec, --package and --output"
    )


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None


def load_targets(project_file: Path) -> list[Target]:
    """Every `[[tool.specgen.targets]]` entry of `project_file`."""
    table = _read(project_file).get("tool", {}).get("specgen", {})
    entries = table.get("targets")
    if not isinstance(entries, list) or not entries:
        raise ConfigError(
            f"{project_file}: [tool.specgen] needs a non-empty `targets` list"
        )
    root = project_file.parent
    targets = []
    for index, entry in enumerate(entries):
        missing = [
            k
            for k in ("spec", "package", "output")
            if not isinstance(entry.get(k), str)
        ]
        if missing:
            raise ConfigError(
                f"{project_file}: tool.specgen.targets[{index}] lacks {', '.join(missing)}"
            )
        templates = (
            Path(entry["templates"])
            if isinstance(entry.get("templates"), str)
            else None
        )
        formatter = entry.get("formatter", "ruff")
        if not isinstance(formatter, str):
            raise ConfigError(
                f"{project_file}: tool.specgen.targets[{index}].formatter must be a string"
            )
        ref_roots = entry.get("allow-refs-from", [])
        if not isinstance(ref_roots, list) or not all(
            isinstance(r, str) for r in ref_roots
        ):
            raise ConfigError(
                f"{project_file}: tool.specgen.targets[{index}].allow-refs-from "
                "must be a list of folders"
            )
        targets.append(
            make_target(
                Path(entry["spec"]),
                entry["package"],
                Path(entry["output"]),
                templates,
                root,
                formatter,
                tuple(Path(folder) for folder in ref_roots),
            )
        )
    return targets
