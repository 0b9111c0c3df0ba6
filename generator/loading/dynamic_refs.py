"""`$recursiveRef` and `$dynamicRef`, read as the `$ref` they stand for.

A recursive schema may refer to itself through the schema holding its anchor
rather than by name: OpenAI's `CompoundFilter` (`$recursiveAnchor: true`) lists
its `filters` as `oneOf: [{$ref: ComparisonFilter}, {$recursiveRef: "#"}]`.
Nothing downstream knows these keywords: datamodel-code-generator read the
branch as an empty schema (any value) and the reference validator as a
reference to the whole document. In one document the dynamic scope has one
schema of each anchor (the component that declares it), so each is replaced by
a plain `$ref` to it:

- `$recursiveRef: "#"` (JSON Schema 2019-09, not a keyword of 3.1's 2020-12
  dialect; the intent is clear, so it is read and warned about) names the
  component it is written in;
- `$dynamicRef: "#name"` names the schema whose `$dynamicAnchor` (or
  `$anchor`) is `name`: in the component it is written in first, else in any
  component; several components declaring it are warned about.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.loading.schema_walk import schema_mappings
from generator.pointers import SCHEMA_PREFIX, escape_pointer_token
from generator.problems import Level, Problem

_ANCHORS = ("$dynamicAnchor", "$anchor")


def dynamic_refs_resolved(document: dict[str, Any], file: Path) -> list[Problem]:
    """Replace (in place) each `$recursiveRef` and `$dynamicRef` of the component
    schemas by a `$ref`; a warning for each one read by a rule of specgen's."""
    components = document.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    if not isinstance(schemas, dict):
        return []
    found = [
        (name, pointer, node)
        for name, schema in schemas.items()
        for pointer, node in schema_mappings(schema, _component(name))
        if "$recursiveRef" in node or "$dynamicRef" in node
    ]
    if not found:
        return []
    anchors = _anchors(schemas)
    warnings = []
    for name, pointer, node in found:
        if "$recursiveRef" in node:
            message = _recursive_ref_resolved(node, name)
        else:
            message = _dynamic_ref_resolved(node, name, anchors)
        if message:
            warnings.append(Problem(Level.WARNING, file, pointer, message))
    return warnings


def _component(name: str) -> str:
    return SCHEMA_PREFIX[1:] + escape_pointer_token(name)


def _anchors(schemas: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    """Each anchor name: (component, `$ref` to the schema declaring it), in order."""
    found: dict[str, list[tuple[str, str]]] = {}
    for name, schema in schemas.items():
        for pointer, node in schema_mappings(schema, _component(name)):
            for keyword in _ANCHORS:
                anchor = node.get(keyword)
                if isinstance(anchor, str):
                    found.setdefault(anchor, []).append((name, "#" + pointer))
    return found


def _recursive_ref_resolved(node: dict[str, Any], name: str) -> str:
    """Replace `$recursiveRef` in `node` (written in component `name`); the warning."""
    ref = node.pop("$recursiveRef")
    if not isinstance(ref, str) or not ref.startswith("#") or "$ref" in node:
        return f"$recursiveRef {ref!r} is not understood; read as any value"
    node["$ref"] = "#" + _component(name) + ref[1:].rstrip("/")
    return (
        "$recursiveRef is JSON Schema 2019-09's, not OpenAPI 3.1's; read as a $ref "
        f"to {name}, which it is written in"
    )


def _dynamic_ref_resolved(
    node: dict[str, Any], name: str, anchors: dict[str, list[tuple[str, str]]]
) -> str:
    """Replace `$dynamicRef` in `node` (written in component `name`); the warning
    ("" when the reference has one meaning)."""
    ref = node.pop("$dynamicRef")
    if not isinstance(ref, str) or not ref.startswith("#") or "$ref" in node:
        return f"$dynamicRef {ref!r} is not understood; read as any value"
    fragment = ref[1:]
    if fragment == "" or fragment.startswith("/"):
        node["$ref"] = "#" + _component(name) + fragment.rstrip("/")
        return ""
    declared = anchors.get(fragment, [])
    if not declared:
        return f"$dynamicRef {ref!r} names no anchor; read as any value"
    own = [target for component, target in declared if component == name]
    node["$ref"] = (own or [declared[0][1]])[0]
    components = list(dict.fromkeys(component for component, _ in declared))
    if own or len(components) == 1:
        return ""
    return (
        f"$dynamicRef {ref!r}: {', '.join(components)} declare its anchor; read as "
        f"a $ref to {components[0]}'s"
    )
