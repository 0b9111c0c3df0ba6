"""Length and count keywords on a schema whose type they do not apply to, left out with a warning.

JSON Schema applies `minLength`, `maxLength` and `pattern` to strings only,
`minItems`, `maxItems` and `uniqueItems` to arrays only, `minProperties`,
`maxProperties`, `properties`, `required` and the other object keywords to objects
only: on another type a validator ignores them. Some specs put one on the wrong
type (springdoc writes a Java `@Size(min = 1)` on a list as `minLength: 1`; Plaid
documents a string's values as `properties` of a `type: string`, which became an
object model refusing every string). The models would not ignore it: datamodel-code-generator
turns `minLength` into pydantic's `min_length`, which counts a list's items too,
so the model would refuse what the spec allows (`[]`). Left out, the model
checks what the spec does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.loading.schema_walk import schema_mappings
from generator.pointers import join_pointer
from generator.problems import Level, Problem
from generator.schema_keywords import TYPE_NAMES

_APPLIES_TO = {
    "minLength": "string",
    "maxLength": "string",
    "pattern": "string",
    "minItems": "array",
    "maxItems": "array",
    "uniqueItems": "array",
    "minProperties": "object",
    "maxProperties": "object",
    "properties": "object",
    "required": "object",
    "additionalProperties": "object",
    "patternProperties": "object",
}


SHOWN_ALIKE = 3
"""How many warnings of one kind (keyword, value and type) are shown one by one;
the rest, when two or more, are counted in one more (one alone is shown too, not
counted as "0 more"). Kubernetes' spec has 510 `uniqueItems: true` on objects,
which would bury every other warning."""


def drop_inapplicable_keywords(document: dict[str, Any], file: Path) -> list[Problem]:
    """Remove (in place) each keyword of `_APPLIES_TO` from a schema whose `type` does
    not include the type it applies to; a warning for each (`SHOWN_ALIKE` of a kind)."""
    alike: dict[tuple[str, str, str], list[str]] = {}
    for pointer, schema in schema_mappings(document):
        names = _declared_types(schema)
        if not names:
            continue
        for keyword, applies_to in _APPLIES_TO.items():
            if keyword in schema and applies_to not in names:
                value = schema.pop(keyword)
                shown = repr(value) if not isinstance(value, dict | list) else "…"
                kind = (keyword, shown, " or ".join(sorted(names)))
                alike.setdefault(kind, []).append(join_pointer(pointer, keyword))
    warnings = []
    for (keyword, value, types), pointers in alike.items():
        message = (
            f"{keyword} {value} applies to {_APPLIES_TO[keyword]}s only, and this"
            f" schema is of type {types}: left out, as validators ignore it"
        )
        # One past the shown would be counted as "here and in 0 more": shown as well.
        listed = SHOWN_ALIKE if len(pointers) > SHOWN_ALIKE + 1 else len(pointers)
        warnings += [
            Problem(Level.WARNING, file, pointer, message)
            for pointer in pointers[:listed]
        ]
        if len(pointers) > listed:
            more = len(pointers) - listed - 1
            warnings.append(
                Problem(
                    Level.WARNING,
                    file,
                    pointers[listed],
                    f"{keyword} {value} left out the same way here and in"
                    f" {more:,} more schema{'s' if more != 1 else ''} of type {types}",
                )
            )
    return warnings


def _declared_types(schema: dict[str, Any]) -> set[str]:
    """The type names `type` gives, when it is a type name or a list of them; else none."""
    declared = schema.get("type")
    names = [declared] if isinstance(declared, str) else declared
    if not isinstance(names, list) or not all(
        isinstance(n, str) and n in TYPE_NAMES for n in names
    ):
        return set()
    return set(names)
