"""A `$ref` in place of a whole map of components, read as the map it leads to.

OpenAPI's `components.schemas` (and `responses`, `parameters`...) is a map of
names to objects; a `$ref` there would be a schema named `$ref`. Multi-file
specs bundled by Redocly's tools write one anyway (lichess-org/api f59dc80,
doc/specs/lichess-api.yaml: `schemas: {$ref: "./schemas/_index.yaml"}`, a file
of 100 `Name: {$ref: ./Name.yaml}`). The intent is clear, so the map gets one
entry per name of the file, each a `$ref` to that entry there (which the loader
then follows as it follows any component written `User: {$ref: User.yaml}`),
and a warning says so.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from generator.pointers import escape_pointer_token, join_pointer
from generator.problems import Level, Problem

COMPONENT_MAPS = (
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "pathItems",
)
"""The members of `components`, each a map of names to objects."""

Follow = Callable[[str], "tuple[Path, str, Any] | None"]
"""Where a `$ref` written in the root file leads: (file, fragment, value), or None."""


def maps_put_in_place(
    root: dict[str, Any], follow: Follow, shown: Path
) -> list[Problem]:
    """Replace, in `root` itself, each component map that is a `$ref` by the names of
    the map it leads to; the problems (`shown` names the root file).

    A `$ref` that leads to no map is an error at it.
    """
    components = root.get("components")
    if not isinstance(components, dict):
        return []
    problems: list[Problem] = []
    for kind in COMPONENT_MAPS:
        value = components.get(kind)
        if not (
            isinstance(value, dict)
            and len(value) == 1
            and isinstance(value.get("$ref"), str)
        ):
            continue
        ref: str = value["$ref"]
        pointer = join_pointer("/components", kind)
        found = follow(ref)
        if found is None or not isinstance(found[2], dict):
            what = "nothing readable" if found is None else type(found[2]).__name__
            problems.append(
                Problem(
                    Level.ERROR,
                    shown,
                    join_pointer(pointer, "$ref"),
                    f"components/{kind} must be a map of names, and this $ref "
                    f"{ref!r} leads to {what}",
                )
            )
            components[kind] = {}  # not a schema named `$ref` as well
            continue
        base = (ref if "#" in ref else ref + "#").rstrip("/")
        components[kind] = {
            name: {"$ref": f"{base}/{quote(escape_pointer_token(str(name)), safe='~')}"}
            for name in found[2]
        }
        problems.append(
            Problem(
                Level.WARNING,
                shown,
                pointer,
                f"components/{kind} is a $ref to {ref!r}, not a map as OpenAPI has it: "
                f"read as the {len(found[2])} entries that file holds",
            )
        )
    return problems
