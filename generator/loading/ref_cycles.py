"""Find `$ref` cycles that no model can express.

A schema may refer to itself through a property or an array item (a tree);
that is a recursive model. But a cycle made only of aliases and compositions
(`$ref`, `allOf`, `oneOf`, `anyOf` at the top of a schema) has no structure to
stop at: a class would be its own base class or its own alias. Those are
reported as problems, before anything tries to follow them forever.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator.pointers import SCHEMA_PREFIX, escape_pointer_token, schema_name
from generator.problems import Level, Problem

_COMPOSITIONS = ("allOf", "oneOf", "anyOf")


def _transparent_refs(schema: Any) -> Iterator[str]:
    """Component names `schema` stands for without any property or item in between."""
    if not isinstance(schema, dict):
        return
    name = schema_name(schema.get("$ref"))
    if name is not None:
        yield name
    for keyword in _COMPOSITIONS:
        members = schema.get(keyword)
        if isinstance(members, list):
            for member in members:
                yield from _transparent_refs(member)


def _cycles(edges: dict[str, list[str]]) -> Iterator[list[str]]:
    """Each cycle closed by a back edge of a depth-first search in name order.

    The search is iterative, as alias chains can be long.
    """
    finished: set[str] = set()
    for start in sorted(edges):
        if start in finished:
            continue
        path = [start]
        pending = [iter(edges[start])]
        while pending:
            target = next(pending[-1], None)
            if target is None:
                finished.add(path.pop())
                pending.pop()
            elif target in path:
                yield [*path[path.index(target) :], target]
            elif target not in finished and target in edges:
                path.append(target)
                pending.append(iter(edges[target]))


def unexpressible_cycles(document: Any, path: Path) -> list[Problem]:
    """One error per `$ref` cycle that passes through no property or item."""
    components = document.get("components") if isinstance(document, dict) else None
    schemas = components.get("schemas") if isinstance(components, dict) else None
    if not isinstance(schemas, dict):
        return []  # misshapen: the shape check says so
    edges = {
        name: sorted(set(_transparent_refs(schema))) for name, schema in schemas.items()
    }
    problems = []
    for cycle in _cycles(edges):
        pointer = SCHEMA_PREFIX[1:] + escape_pointer_token(cycle[0])
        message = (
            f"$ref cycle {' -> '.join(cycle)} cannot be expressed as models: "
            "a schema would be its own alias or base class"
        )
        problems.append(Problem(Level.ERROR, path, pointer, message))
    return problems
