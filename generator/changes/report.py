"""Render an API change report (text, JSON, markdown) and the semver bump it calls for."""

from __future__ import annotations

import json
from typing import Literal

from generator.changes.diff import Change
from generator.rendering.templates import markdown_code, markdown_inline

Bump = Literal["major", "minor", "patch", "none"]
Format = Literal["text", "json", "markdown"]


def semver_bump(changes: list[Change]) -> Bump:
    """Major for anything breaking, minor for additions or other changes.

    Patch for documentation-only changes.
    """
    if any(c.breaking for c in changes):
        return "major"
    if any(not c.documentation_only for c in changes):
        return "minor"
    return "patch" if changes else "none"


def _label(change: Change) -> str:
    return (
        "BREAKING" if change.breaking else "docs" if change.documentation_only else "ok"
    )


def render_text(changes: list[Change]) -> str:
    lines = [f"{_label(c):8}  {c.kind:7}  {c.where}: {c.detail}" for c in changes]
    breaking = sum(c.breaking for c in changes)
    lines.append(
        f"{len(changes)} change(s), {breaking} breaking; semver bump: {semver_bump(changes)}"
    )
    return "\n".join(lines) + "\n"


def render_json(changes: list[Change]) -> str:
    data = {
        "semver_bump": semver_bump(changes),
        "breaking": sum(c.breaking for c in changes),
        "changes": [
            {
                "kind": c.kind,
                "where": c.where,
                "detail": c.detail,
                "breaking": c.breaking,
                "documentation_only": c.documentation_only,
            }
            for c in changes
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_markdown(changes: list[Change], title: str = "API changes") -> str:
    sections = [
        ("Breaking", [c for c in changes if c.breaking]),
        (
            "Added and changed",
            [c for c in changes if not c.breaking and not c.documentation_only],
        ),
        ("Documentation", [c for c in changes if c.documentation_only]),
    ]
    lines = [
        f"## {markdown_inline(title)}",
        "",
        f"Semver bump: **{semver_bump(changes)}**.",
        "",
    ]
    if not changes:
        lines.append("No changes.")
    for heading, items in sections:
        if items:
            lines += [
                f"### {heading}",
                "",
                *(
                    f"- {markdown_code(c.where)}: {markdown_inline(c.detail)} ({c.kind})"
                    for c in items
                ),
                "",
            ]
    return "\n".join(lines).rstrip("\n") + "\n"


def render(changes: list[Change], fmt: Format) -> str:
    if fmt == "json":
        return render_json(changes)
    if fmt == "markdown":
        return render_markdown(changes)
    return render_text(changes)
