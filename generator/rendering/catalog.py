"""Which templates exist and where each resolves: `specgen templates list` and `init`."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.rendering.defaults import default_templates
from generator.rendering.templates import is_template_file


def all_templates(template_dirs: list[Path]) -> dict[str, Path]:
    """Every template (relative path → file it resolves to), earlier folders winning, sorted."""
    found: dict[str, Path] = {}
    for folder in reversed(template_dirs):
        for path in folder.rglob("*"):
            relative = path.relative_to(folder).as_posix()
            if path.is_file() and is_template_file(relative):
                found[relative] = path
    return dict(sorted(found.items()))


class UnknownTemplateError(Exception):
    """`templates init` was asked for a template that has no default."""


def init_templates(destination: Path, names: list[str]) -> list[Path]:
    """Copy the named default templates (all when none are named) into `destination`.

    Existing files are never overwritten: they are the user's work.
    """
    defaults = all_templates([default_templates()])
    unknown = [name for name in names if name not in defaults]
    if unknown:
        raise UnknownTemplateError(
            f"no default template named {', '.join(unknown)}; see `specgen templates list`"
        )
    copied = []
    for name in names or list(defaults):
        target = destination / name
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(defaults[name], target)
        copied.append(target)
    return copied
