"""Length and count keywords on a schema whose type they do not apply to, left out with a warning.

JSON Schema applies `minLength`, `maxLength` and `pattern` to strings only,
`minItems`, `maxItems` and `uniqueItems` to arrays only, `minProperties` and
`maxProperties` to objects only: on another type a validator ignores them. Some
specs put one on the wrong type (springdoc writes a Java `@Size(min = 1)` on a
list as `minLength: 1`). The models would not ignore it: datamodel-code-generator
turns `minLength` into pydantic's `min_length`, which counts a list's items too,
so the model would refuse what the spec allows (`[]`). Left out, the model
checks what the spec does.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator.pointers import join_pointer
from generator.problems import Level, Problem
from generator.schema_keywords import INSTANCE_KEYWORDS, NAME_MAPS, TYPE_NAMES

_APPLIES_TO = {
    "minLength": "string",
    "maxLength": "string",
    "pattern": "string",
    "minItems": "array",
    "maxItems": "array",
    "uniqueItems": "array",
    "minProperties": "object",
    "maxProperties": "object",
}


def drop_inapplicable_keywords(document: dict[str, Any], file: Path) -> list[Problem]:
    """Remove (in place) each keyword of `_APPLIES_TO` from a schema whose `type` does
    not include the type it applies to; a warning for each."""
    warnings = []
    for pointer, schema in _typed(document, ""):
        declared = schema["type"]
        names = {declared} if isinstance(declared, str) else set(declared)
        for keyword, applies_to in _APPLIES_TO.items():
            if keyword in schema and applies_to not in names:
                value = schema.pop(keyword)
                warnings.append(
                    Problem(
                        Level.WARNING,
                        file,
                        join_pointer(pointer, keyword),
                        f"{keyword} {value!r} applies to {applies_to}s only, and this"
                        f" schema is of type {' or '.join(sorted(names))}: left out,"
                        " as validators ignore it",
                    )
                )
    return warnings


def _typed(
    node: Any, pointer: str, parent: str = ""
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema below `node` whose `type` is a type name or a list of them,
    instances skipped."""
    if isinstance(node, dict):
        for key, value in node.items():
            text = str(key)
            if text.startswith("x-") or (
                text in INSTANCE_KEYWORDS and parent not in NAME_MAPS
            ):
                continue
            yield from _typed(value, join_pointer(pointer, text), text)
        declared = node.get("type")
        if parent not in NAME_MAPS and (
            (isinstance(declared, str) and declared in TYPE_NAMES)
            or (
                isinstance(declared, list)
                and declared
                and all(isinstance(n, str) and n in TYPE_NAMES for n in declared)
            )
        ):
            yield pointer, node
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _typed(value, join_pointer(pointer, index))
